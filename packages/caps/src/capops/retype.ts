/**
 * Retype of a capability whose object has copies (or descendants) on other cores.
 *
 * The owner decides, one retype at a time per object (a lock): it asks every other core whether
 * it holds anything derived from the object in the region, and only when all say no does the
 * requester create the new objects. Two conflicting retypes are ordered by the owner's lock, and
 * the loser gets CAP_LOCKED (while the winner is being checked) or RETYPE_OVERLAP (after).
 *
 *   requester          owner              every other core
 *      |--retype_request->|                  |    (skipped when the requester owns the object)
 *      |                  |--retype_check--->|
 *      |                  |<-retype_checked--|
 *      |<-retype_result---|                  |
 *   create objects
 *
 * The owner's approval and any later check or mark from it travel on the same FIFO channel to the
 * requester, so the requester has created its objects before it answers a later retype_check.
 */
import { busy, type Env, next, others, refuse, type Step, succeed } from "./env.js";
import type {
  ErrorCode,
  Outgoing,
  RetypeCheck,
  RetypeChecked,
  RetypeRequest,
  RetypeResult,
} from "./protocol.js";
import type { CapStore } from "./store.js";
import {
  type CapRep,
  type CoreId,
  capKey,
  type OpId,
  overlaps,
  Rel,
  type RetypeArgs,
  retypeRegion,
  type Slot,
  sameObject,
} from "./types.js";

/** The code of a retype whose region holds objects already derived from the source. */
export const OVERLAP: ErrorCode = "RETYPE_OVERLAP";

/** A retype in progress: on a non-owner requester, or on the owner collecting checks. */
export type RetypeState =
  | {
      readonly kind: "retype";
      readonly role: "requester";
      readonly op: OpId;
      readonly src: Slot;
      readonly cap: CapRep;
      readonly args: RetypeArgs;
      readonly askedOwner: CoreId;
      readonly parked: boolean;
    }
  | {
      readonly kind: "retype";
      readonly role: "owner";
      readonly op: OpId;
      readonly requester: CoreId;
      /** The source slot when the owner itself is retyping, else -1. */
      readonly src: Slot;
      readonly cap: CapRep;
      readonly args: RetypeArgs;
      readonly waiting: ReadonlySet<CoreId>;
      readonly error: ErrorCode | null;
    };

/** Starts retyping the cap in `src`. */
export function startRetype(env: Env, op: OpId, src: Slot, args: RetypeArgs): Step<RetypeState> {
  const held = env.store.lookup(src);
  if (!held) return refuse(op, "retype", "CAP_NOT_FOUND");
  const local = env.store.checkRetype(src, args);
  if (local) return refuse(op, "retype", local);
  const why = busy(env, held);
  if (why) return refuse(op, "retype", why);
  if (held.owner === env.self) {
    if ((held.relations & (Rel.Copies | Rel.Descendants)) === 0) return create(env, op, src, held.rep, args);
    return beginCheck(env, op, held.rep, args, env.self, src);
  }
  return askOwner(env, {
    kind: "retype",
    role: "requester",
    op,
    src,
    cap: held.rep,
    args,
    askedOwner: held.owner,
    parked: false,
  });
}

function askOwner(env: Env, state: RetypeState & { role: "requester" }): Step<RetypeState> {
  const held = env.store.lookup(state.src);
  if (!held || !sameObject(held.rep, state.cap)) return refuse(state.op, "retype", "CAP_NOT_FOUND");
  if (held.owner === env.self) {
    const why = busy(env, held);
    if (why) return refuse(state.op, "retype", why);
    return beginCheck(env, state.op, held.rep, state.args, env.self, state.src);
  }
  const msg: RetypeRequest = { kind: "retype_request", op: state.op, cap: state.cap, args: state.args };
  return next({ ...state, askedOwner: held.owner, parked: false }, [{ to: held.owner, msg }]);
}

/**
 * Why this core's objects derived from `cap` stand in the way of a new object in [base, base+size),
 * with the local retype's codes: one covering the whole region is REVOKE_FIRST, any other overlap
 * RETYPE_OVERLAP; null if none overlaps.
 */
export function clash(store: CapStore, cap: CapRep, base: number, size: number): ErrorCode | null {
  let code: ErrorCode | null = null;
  for (const d of store.descendants(cap)) {
    if (!overlaps(d.rep.base, d.rep.size, base, size)) continue;
    if (d.rep.base <= base && d.rep.base + d.rep.size >= base + size) return "REVOKE_FIRST";
    code = OVERLAP;
  }
  return code;
}

/** On the owner: lock the object and ask every other core. */
function beginCheck(
  env: Env,
  op: OpId,
  cap: CapRep,
  args: RetypeArgs,
  requester: CoreId,
  src: Slot,
): Step<RetypeState> {
  env.locks.set(capKey(cap), { op, kind: "retype" });
  const r = retypeRegion(cap, args);
  const msg: RetypeCheck = { kind: "retype_check", op, cap, base: r.base, size: r.size };
  const waiting = others(env);
  const state: RetypeState = {
    kind: "retype",
    role: "owner",
    op,
    requester,
    src,
    cap,
    args,
    waiting,
    error: null,
  };
  if (waiting.size === 0) return decide(env, state);
  return next(
    state,
    [...waiting].map((to) => ({ to, msg })),
  );
}

/** On the owner: a non-owner asks to retype its copy. */
export function onRetypeRequest(env: Env, msg: RetypeRequest, from: CoreId): Step<RetypeState> {
  const held = env.store.copies(msg.cap)[0];
  if (!held || held.owner !== env.self) {
    return { state: undefined, outbox: [{ to: from, msg: { kind: "not_owner", op: msg.op } }] };
  }
  const region = retypeRegion(msg.cap, msg.args);
  const why = busy(env, held) ?? clash(env.store, msg.cap, region.base, region.size);
  if (why) return { state: undefined, outbox: [result(from, msg.op, why)] };
  return beginCheck(env, msg.op, msg.cap, msg.args, from, -1);
}

/** On any core: does anything here derive from the object within the region? Stateless. */
export function onRetypeCheck(env: Env, msg: RetypeCheck, from: CoreId): Outgoing[] {
  const reply: RetypeChecked = {
    kind: "retype_checked",
    op: msg.op,
    error: clash(env.store, msg.cap, msg.base, msg.size),
  };
  return [{ to: from, msg: reply }];
}

/** On the owner: one core's answer. */
export function onRetypeChecked(
  env: Env,
  state: RetypeState,
  msg: RetypeChecked,
  from: CoreId,
): Step<RetypeState> {
  if (state.role !== "owner") return next(state);
  const waiting = new Set(state.waiting);
  waiting.delete(from);
  const updated: RetypeState = { ...state, waiting, error: state.error ?? msg.error };
  return waiting.size === 0 ? decide(env, updated) : next(updated);
}

function decide(env: Env, state: RetypeState & { role: "owner" }): Step<RetypeState> {
  const key = capKey(state.cap);
  if (env.locks.get(key)?.op === state.op) env.locks.delete(key);
  if (state.requester === env.self) {
    if (state.error) return refuse(state.op, "retype", state.error);
    return create(env, state.op, state.src, state.cap, state.args);
  }
  // Approval first, then anything later from this core: the requester creates before it answers.
  if (!state.error) env.store.setRelations(state.cap, Rel.Descendants, 0);
  return { state: undefined, outbox: [result(state.requester, state.op, state.error)] };
}

function result(to: CoreId, op: OpId, error: ErrorCode | null): Outgoing {
  const msg: RetypeResult = { kind: "retype_result", op, error };
  return { to, msg };
}

/** Creates the new objects on this core, re-checking that the source is still there and unmarked. */
function create(env: Env, op: OpId, src: Slot, cap: CapRep, args: RetypeArgs): Step<RetypeState> {
  const held = env.store.lookup(src);
  if (!held || !sameObject(held.rep, cap)) return refuse(op, "retype", "CAP_NOT_FOUND");
  const why = busy(env, held);
  if (why) return refuse(op, "retype", why);
  const r = env.store.retype(src, args);
  if (!r.ok) return refuse(op, "retype", r.code);
  if (held.owner !== env.self || (held.relations & Rel.Copies) !== 0) {
    for (const slot of r.value) {
      const made = env.store.lookup(slot);
      if (made) env.store.setRelations(made.rep, Rel.Ancestors, 0);
    }
  }
  return succeed(op, "retype", r.value);
}

/** On the requester: the owner's decision. */
export function onRetypeResult(env: Env, state: RetypeState, msg: RetypeResult): Step<RetypeState> {
  if (state.role !== "requester") return next(state);
  if (msg.error) return refuse(state.op, "retype", msg.error);
  return create(env, state.op, state.src, state.cap, state.args);
}

/** On the requester: the core asked is not the owner (any more). */
export function onRetypeNotOwner(env: Env, state: RetypeState): Step<RetypeState> {
  if (state.role !== "requester") return next(state);
  return recheckRetype(env, { ...state, parked: true });
}

/** Re-evaluates a parked request after this core's view changed. */
export function recheckRetype(env: Env, state: RetypeState): Step<RetypeState> {
  if (state.role !== "requester" || !state.parked) return next(state);
  const held = env.store.lookup(state.src);
  if (!held || !sameObject(held.rep, state.cap)) return refuse(state.op, "retype", "CAP_NOT_FOUND");
  if (held.owner === state.askedOwner) return next(state);
  return askOwner(env, state);
}
