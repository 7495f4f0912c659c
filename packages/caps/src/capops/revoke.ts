/**
 * Revoke across cores: delete every copy and every descendant of an object, on every core, except
 * the invoked capability. It runs on the owner; a non-owner first retrieves ownership (the invoked
 * copy must survive, so its core must be the one that orders the revoke).
 *
 *   invoker B          owner A            every other core
 *      |-retrieve_request->|                  |      (skipped when B owns the object)
 *      |<-retrieve_result--|  (owner := B)    |
 *      |---------------revoke_mark----------->|   mark copies and descendants
 *      |<--------------revoke_ready-----------|   ... once no copy of them is still travelling
 *      |---------------revoke_commit--------->|   sweep: delete what is marked
 *      |<--------------revoke_done------------|
 *   sweep locally, clear the remote bits
 *
 * Why two phases: a marked capability may not be sent, and a core answers ready only when none
 * of its own deliveries of a marked capability is unacknowledged. So when the owner commits, every
 * copy that will ever exist is on a core that has been marked, and the sweep finds it. With one
 * phase, a copy sent by a core not yet swept to a core already swept would survive.
 */
import {
  broadcast,
  busy,
  deliveringWithin,
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
  Outgoing,
  RetrieveRequest,
  RetrieveResult,
  RevokeCommit,
  RevokeDone,
  RevokeMark,
  RevokeReady,
} from "./protocol.js";
import { type CapRep, type CoreId, capKey, type OpId, Rel, type Slot, sameObject } from "./types.js";

/** A revoke on the invoking core. */
export interface RevokeState {
  readonly kind: "revoke";
  readonly op: OpId;
  readonly slot: Slot;
  readonly cap: CapRep;
  readonly phase: "retrieving" | "marking" | "committing";
  readonly waiting: ReadonlySet<CoreId>;
  /** While retrieving: the owner asked, and whether it answered not_owner. */
  readonly askedOwner: CoreId;
  readonly parked: boolean;
}

/** A core taking part in another core's revoke. */
export interface RevokeParticipantState {
  readonly kind: "revoke_participant";
  readonly op: OpId;
  readonly owner: CoreId;
  readonly cap: CapRep;
  readonly ready: boolean;
}

/** Starts revoking the cap in `slot`. */
export function startRevoke(env: Env, op: OpId, slot: Slot): Step<RevokeState> {
  const held = env.store.lookup(slot);
  if (!held) return refuse(op, "revoke", "CAP_NOT_FOUND");
  const why = busy(env, held);
  if (why) return refuse(op, "revoke", why);
  const base = {
    kind: "revoke",
    op,
    slot,
    cap: held.rep,
    waiting: new Set<CoreId>(),
    parked: false,
  } as const;
  if (held.owner !== env.self) {
    env.acquiring.set(capKey(held.rep), op);
    return retrieve({ ...base, phase: "retrieving", askedOwner: held.owner });
  }
  if ((held.relations & (Rel.Copies | Rel.Descendants)) === 0) {
    sweep(env, held.rep, slot);
    return succeed(op, "revoke", [slot]);
  }
  return mark(env, { ...base, phase: "marking", askedOwner: env.self });
}

function retrieve(state: RevokeState): Step<RevokeState> {
  const msg: RetrieveRequest = { kind: "retrieve_request", op: state.op, cap: state.cap };
  return next({ ...state, parked: false }, [{ to: state.askedOwner, msg }]);
}

function mark(env: Env, state: RevokeState): Step<RevokeState> {
  env.acquiring.delete(capKey(state.cap));
  env.locks.set(capKey(state.cap), { op: state.op, kind: "revoke" });
  env.marks.set(state.op, state.cap);
  const waiting = others(env);
  const marking = { ...state, phase: "marking", waiting } as const;
  if (waiting.size === 0) return finish(env, marking);
  const msg: RevokeMark = { kind: "revoke_mark", op: state.op, cap: state.cap };
  return next(marking, broadcast(env, msg));
}

/** Deletes this core's copies (but `keep`) and descendants of `cap`. */
function sweep(env: Env, cap: CapRep, keep: Slot): void {
  for (const c of env.store.copies(cap)) if (c.slot !== keep) dropLocalCopy(env, c, true);
  for (const d of env.store.descendants(cap)) {
    const still = env.store.lookup(d.slot);
    if (still && sameObject(still.rep, d.rep)) env.store.remove(d.slot, true);
  }
}

function finish(env: Env, state: RevokeState): Step<RevokeState> {
  const held = env.store.lookup(state.slot);
  const kept = held && sameObject(held.rep, state.cap);
  sweep(env, state.cap, kept ? state.slot : -1);
  // Nothing derived from the object or copied from it is left anywhere.
  if (kept) env.store.setRelations(state.cap, 0, Rel.Copies | Rel.Descendants);
  env.marks.delete(state.op);
  unlock(env, state.cap, state.op);
  return succeed(state.op, "revoke", kept ? [state.slot] : []);
}

/** On the owner: hand ownership to the invoker, unless another operation holds the object. */
export function onRetrieveRequest(env: Env, msg: RetrieveRequest, from: CoreId): Outgoing[] {
  const held = env.store.copies(msg.cap)[0];
  if (!held || held.owner !== env.self) return [{ to: from, msg: { kind: "not_owner", op: msg.op } }];
  const why = busy(env, held);
  const reply: RetrieveResult = {
    kind: "retrieve_result",
    op: msg.op,
    error: why,
    relations: held.relations,
  };
  if (!why) env.store.setOwner(msg.cap, from);
  return [{ to: from, msg: reply }];
}

/** On the invoker: ownership granted (go on as owner) or refused. */
export function onRetrieveResult(env: Env, state: RevokeState, msg: RetrieveResult): Step<RevokeState> {
  if (state.phase !== "retrieving") return next(state);
  if (msg.error) {
    env.acquiring.delete(capKey(state.cap));
    return refuse(state.op, "revoke", msg.error);
  }
  env.store.setOwner(state.cap, env.self);
  env.store.setRelations(state.cap, msg.relations | Rel.Copies, 0);
  const held = env.store.lookup(state.slot);
  if (!held || !sameObject(held.rep, state.cap)) {
    // Swept by a revoke of an ancestor, which removes every other copy too.
    env.acquiring.delete(capKey(state.cap));
    return refuse(state.op, "revoke", "CAP_NOT_FOUND");
  }
  return mark(env, state);
}

/** On the invoker: the core asked is not the owner (any more). */
export function onRevokeNotOwner(env: Env, state: RevokeState): Step<RevokeState> {
  if (state.phase !== "retrieving") return next(state);
  return recheckRevoke(env, { ...state, parked: true });
}

/** Re-evaluates a parked retrieve after this core's view changed. */
export function recheckRevoke(env: Env, state: RevokeState): Step<RevokeState> {
  if (state.phase !== "retrieving" || !state.parked) return next(state);
  const held = env.store.lookup(state.slot);
  if (!held || !sameObject(held.rep, state.cap)) {
    env.acquiring.delete(capKey(state.cap));
    return refuse(state.op, "revoke", "CAP_NOT_FOUND");
  }
  if (held.owner === state.askedOwner) return next(state);
  if (held.owner === env.self) {
    const lock = env.locks.get(capKey(state.cap));
    if (lock) {
      env.acquiring.delete(capKey(state.cap));
      return refuse(state.op, "revoke", lock.kind === "retype" ? "CAP_LOCKED" : "CAP_IN_DELETE");
    }
    return mark(env, state);
  }
  return retrieve({ ...state, askedOwner: held.owner });
}

/** On the owner: one core is marked. */
export function onRevokeReady(env: Env, state: RevokeState, from: CoreId): Step<RevokeState> {
  if (state.phase !== "marking") return next(state);
  const waiting = new Set(state.waiting);
  waiting.delete(from);
  if (waiting.size > 0) return next({ ...state, waiting });
  const msg: RevokeCommit = { kind: "revoke_commit", op: state.op };
  return next({ ...state, phase: "committing", waiting: others(env) }, broadcast(env, msg));
}

/** On the owner: one core is swept. */
export function onRevokeDone(env: Env, state: RevokeState, from: CoreId): Step<RevokeState> {
  if (state.phase !== "committing") return next(state);
  const waiting = new Set(state.waiting);
  waiting.delete(from);
  if (waiting.size > 0) return next({ ...state, waiting });
  return finish(env, state);
}

/** On every other core: mark, and answer once no marked copy is travelling from here. */
export function onRevokeMark(env: Env, msg: RevokeMark, from: CoreId): Step<RevokeParticipantState> {
  env.marks.set(msg.op, msg.cap);
  return recheckParticipant(env, {
    kind: "revoke_participant",
    op: msg.op,
    owner: from,
    cap: msg.cap,
    ready: false,
  });
}

/** Answers ready once this core's deliveries within the object's memory are acknowledged. */
export function recheckParticipant(env: Env, state: RevokeParticipantState): Step<RevokeParticipantState> {
  if (state.ready || deliveringWithin(env, state.cap)) return next(state);
  const msg: RevokeReady = { kind: "revoke_ready", op: state.op };
  return next({ ...state, ready: true }, [{ to: state.owner, msg }]);
}

/** On every other core: sweep. */
export function onRevokeCommit(env: Env, state: RevokeParticipantState): Step<RevokeParticipantState> {
  sweep(env, state.cap, -1);
  env.marks.delete(state.op);
  const msg: RevokeDone = { kind: "revoke_done", op: state.op };
  return { state: undefined, outbox: [{ to: state.owner, msg }] };
}
