/**
 * Delete, and what it takes when this core deletes the last local copy of an object it owns while
 * other cores hold copies: ownership moves to one of them, so the object lives on with an owner.
 *
 *   owner A              every other core             chosen holder C
 *      |---move_find------>|                              |
 *      |<--move_found------|                              |
 *      |---move_transfer------------------------------->  |  owner := C
 *      |                   |<-------owner_update----------|
 *      |<--move_transferred-------------------------------|
 *   remove A's CTE
 *
 * A holds the object locked from find to transferred, so no copy, retype or revoke slips in. The
 * updates need no answer: every later change of owner is decided by C after a broadcast of its own
 * (the next move's find) or is followed by a revoke that sweeps every other copy, and C's channel to
 * each core carries its update before any of that; a request that reaches A meanwhile is answered
 * not_owner and re-sent once the requester's CTE names C. If nobody holds a copy any more, A
 * deletes it as the last copy.
 * Other deletes are local: a copy with more copies on this core, or any copy this core does not own.
 */
import {
  broadcast,
  busy,
  dropLocalCopy,
  type Env,
  next,
  others,
  refuse,
  type Step,
  succeed,
  unlock,
} from "./env.js";
import type {
  MoveFind,
  MoveFound,
  MoveTransfer,
  MoveTransferred,
  Outgoing,
  OwnerUpdate,
} from "./protocol.js";
import { type CapRep, type CoreId, capKey, type OpId, Rel, type Slot, sameObject } from "./types.js";

/** A delete on the owner, finding a new owner or handing ownership over. */
export interface DeleteState {
  readonly kind: "delete";
  readonly op: OpId;
  readonly slot: Slot;
  readonly cap: CapRep;
  readonly phase: "finding" | "transferring";
  readonly waiting: ReadonlySet<CoreId>;
  readonly found: readonly CoreId[];
}

/** Starts deleting the cap in `slot`. */
export function startDelete(env: Env, op: OpId, slot: Slot): Step<DeleteState> {
  const held = env.store.lookup(slot);
  if (!held) return refuse(op, "delete", "CAP_NOT_FOUND");
  const why = busy(env, held);
  if (why) return refuse(op, "delete", why);
  if (env.store.copies(held.rep).length > 1) {
    env.store.remove(slot, false);
    return succeed(op, "delete", []);
  }
  if (held.owner !== env.self) {
    dropLocalCopy(env, held, true);
    return succeed(op, "delete", []);
  }
  if ((held.relations & Rel.Copies) === 0) {
    dropLocalCopy(env, held, false);
    return succeed(op, "delete", []);
  }
  env.locks.set(capKey(held.rep), { op, kind: "delete" });
  return find(env, {
    kind: "delete",
    op,
    slot,
    cap: held.rep,
    phase: "finding",
    waiting: new Set(),
    found: [],
  });
}

function find(env: Env, state: DeleteState): Step<DeleteState> {
  const waiting = others(env);
  if (waiting.size === 0) return lastCopy(env, state);
  const msg: MoveFind = { kind: "move_find", op: state.op, cap: state.cap };
  return next({ ...state, phase: "finding", waiting, found: [] }, broadcast(env, msg));
}

/** Nobody else holds a copy: this is the last one. */
function lastCopy(env: Env, state: DeleteState): Step<DeleteState> {
  unlock(env, state.cap, state.op);
  const held = env.store.lookup(state.slot);
  if (held && sameObject(held.rep, state.cap)) {
    dropLocalCopy(env, held, false);
  }
  return succeed(state.op, "delete", []);
}

/** On every other core: do you hold a copy? Stateless. */
export function onMoveFind(env: Env, msg: MoveFind, from: CoreId): Outgoing[] {
  const reply: MoveFound = { kind: "move_found", op: msg.op, found: env.store.copies(msg.cap).length > 0 };
  return [{ to: from, msg: reply }];
}

/** On the owner: one core's answer. */
export function onMoveFound(env: Env, state: DeleteState, msg: MoveFound, from: CoreId): Step<DeleteState> {
  if (state.phase !== "finding") return next(state);
  const waiting = new Set(state.waiting);
  waiting.delete(from);
  const found = msg.found ? [...state.found, from] : state.found;
  if (waiting.size > 0) return next({ ...state, waiting, found });
  if (found.length === 0) return lastCopy(env, state);
  // The lowest-numbered holder: deterministic, and any holder would do.
  const to = Math.min(...found);
  const relations = env.store.lookup(state.slot)?.relations ?? Rel.Copies;
  const transfer: MoveTransfer = { kind: "move_transfer", op: state.op, cap: state.cap, relations };
  return next({ ...state, phase: "transferring", waiting, found }, [{ to, msg: transfer }]);
}

/** On the chosen holder: take ownership if a copy is still here, tell everyone. Stateless. */
export function onMoveTransfer(env: Env, msg: MoveTransfer, from: CoreId): Outgoing[] {
  const accepted = env.store.copies(msg.cap).length > 0;
  const reply: MoveTransferred = { kind: "move_transferred", op: msg.op, accepted };
  if (!accepted) return [{ to: from, msg: reply }];
  env.store.setOwner(msg.cap, env.self);
  env.store.setRelations(msg.cap, msg.relations | Rel.Copies, 0);
  const update: OwnerUpdate = { kind: "owner_update", op: msg.op, cap: msg.cap, owner: env.self };
  return [...broadcast(env, update).filter((o) => o.to !== from), { to: from, msg: reply }];
}

/** On every other core: the object has a new owner. Stateless, no answer. */
export function onOwnerUpdate(env: Env, msg: OwnerUpdate): void {
  env.store.setOwner(msg.cap, msg.owner);
}

/** On the old owner: handed over (remove the local copy), or the holder had none left (find again). */
export function onMoveTransferred(
  env: Env,
  state: DeleteState,
  msg: MoveTransferred,
  from: CoreId,
): Step<DeleteState> {
  if (state.phase !== "transferring") return next(state);
  if (!msg.accepted) return find(env, state);
  unlock(env, state.cap, state.op);
  env.store.setOwner(state.cap, from);
  const held = env.store.lookup(state.slot);
  if (held && sameObject(held.rep, state.cap)) dropLocalCopy(env, held, true);
  return succeed(state.op, "delete", []);
}
