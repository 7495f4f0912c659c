/**
 * Cross-core copy: sending a capability to another core.
 *
 * Every copy that leaves a core is delivered by the object's owner, so that the owner orders it
 * against the object's retypes, deletes and revokes, and so that per-channel FIFO puts the copy on
 * the destination before any later mark or check from the owner:
 *
 *   requester          owner              dest
 *      |--copy_request-->|                  |      (skipped when the requester owns the object)
 *      |                 |--copy_deliver--->|
 *      |                 |<-copy_delivered--|
 *      |<--copy_result---|                  |
 *
 * Refused when the object is locked by a delete or revoke (CAP_IN_DELETE, CAP_IN_REVOKE), marked by
 * a revoke of an ancestor (CAP_IN_REVOKE), or of a type that stays on its core (CAP_NOT_SENDABLE).
 */

import { isCapType, isSendable } from "../types/rules.js";
import { busy, type Env, next, refuse, type Step, succeed } from "./env.js";
import type { CopyDeliver, CopyDelivered, CopyRequest, CopyResult, ErrorCode, Outgoing } from "./protocol.js";
import { type CapRep, type CoreId, type HeldCap, type OpId, Rel, type Slot, sameObject } from "./types.js";

/** A copy in progress, on the requester (waiting for the owner) or on the owner (delivering). */
export type CopyState =
  | {
      readonly kind: "copy";
      readonly role: "requester";
      readonly op: OpId;
      readonly src: Slot;
      readonly cap: CapRep;
      readonly dest: CoreId;
      /** The owner the request went to. */
      readonly askedOwner: CoreId;
      /** True after that core answered not_owner: wait until this core learns the new owner. */
      readonly parked: boolean;
    }
  | {
      readonly kind: "copy";
      readonly role: "owner";
      readonly op: OpId;
      readonly requester: CoreId;
      readonly dest: CoreId;
    };

/** Starts sending the cap in `src` to core `dest`. */
export function startCopy(env: Env, op: OpId, src: Slot, dest: CoreId): Step<CopyState> {
  const held = env.store.lookup(src);
  if (!held) return refuse(op, "copy", "CAP_NOT_FOUND");
  if (!env.cores.includes(dest)) return refuse(op, "copy", "OUT_OF_RANGE");
  if (dest === env.self) {
    const r = env.store.copy(src);
    return r.ok ? succeed(op, "copy", [r.value]) : refuse(op, "copy", r.code);
  }
  if (!isCapType(held.rep.type) || !isSendable(held.rep.type)) return refuse(op, "copy", "CAP_NOT_SENDABLE");
  const why = busy(env, held);
  if (why) return refuse(op, "copy", why);
  if (held.owner === env.self) return deliver(env, op, held.rep, held, dest, env.self);
  return askOwner(env, {
    kind: "copy",
    role: "requester",
    op,
    src,
    cap: held.rep,
    dest,
    askedOwner: held.owner,
    parked: false,
  });
}

function askOwner(env: Env, state: CopyState & { role: "requester" }): Step<CopyState> {
  const held = env.store.lookup(state.src);
  if (!held || !sameObject(held.rep, state.cap)) return refuse(state.op, "copy", "CAP_NOT_FOUND");
  if (held.owner === env.self) {
    const why = busy(env, held);
    if (why) return refuse(state.op, "copy", why);
    return deliver(env, state.op, state.cap, held, state.dest, env.self);
  }
  const msg: CopyRequest = { kind: "copy_request", op: state.op, cap: state.cap, dest: state.dest };
  return next({ ...state, askedOwner: held.owner, parked: false }, [{ to: held.owner, msg }]);
}

/** On the owner: deliver `cap` (the requester's rights, never more) to `dest`. */
function deliver(
  env: Env,
  op: OpId,
  cap: CapRep,
  held: HeldCap,
  dest: CoreId,
  requester: CoreId,
): Step<CopyState> {
  if (dest === env.self) {
    const r = env.store.insert(cap, env.self, held.relations);
    if (requester === env.self) return r.ok ? succeed(op, "copy", [r.value]) : refuse(op, "copy", r.code);
    return { state: undefined, outbox: [result(requester, op, r.ok ? null : r.code, r.ok ? r.value : -1)] };
  }
  // Set before sending: a revoke or retype started after this point reaches `dest` after the copy.
  env.store.setRelations(cap, Rel.Copies, 0);
  for (const a of env.store.ancestors(cap)) env.store.setRelations(a.rep, Rel.Descendants, 0);
  env.deliveries.set(op, cap);
  const msg: CopyDeliver = {
    kind: "copy_deliver",
    op,
    cap,
    owner: env.self,
    relations: held.relations | Rel.Copies,
  };
  return next({ kind: "copy", role: "owner", op, requester, dest }, [{ to: dest, msg }]);
}

function result(to: CoreId, op: OpId, error: ErrorCode | null, slot: number): Outgoing {
  const msg: CopyResult = { kind: "copy_result", op, error, slot };
  return { to, msg };
}

/** On the owner: a non-owner asks to send its copy. */
export function onCopyRequest(env: Env, msg: CopyRequest, from: CoreId): Step<CopyState> {
  const held = env.store.copies(msg.cap)[0];
  if (!held || held.owner !== env.self) {
    return { state: undefined, outbox: [{ to: from, msg: { kind: "not_owner", op: msg.op } }] };
  }
  const why = busy(env, held);
  if (why) return { state: undefined, outbox: [result(from, msg.op, why, -1)] };
  return deliver(env, msg.op, msg.cap, held, msg.dest, from);
}

/** On the destination: insert the copy. Stateless: the answer is all that is left. */
export function onCopyDeliver(env: Env, msg: CopyDeliver, from: CoreId): Outgoing[] {
  const r = env.store.insert(msg.cap, msg.owner, msg.relations);
  const reply: CopyDelivered = {
    kind: "copy_delivered",
    op: msg.op,
    error: r.ok ? null : r.code,
    slot: r.ok ? r.value : -1,
  };
  return [{ to: from, msg: reply }];
}

/** On the owner: the destination answered. */
export function onCopyDelivered(env: Env, state: CopyState, msg: CopyDelivered): Step<CopyState> {
  env.deliveries.delete(msg.op);
  if (state.role !== "owner") return next(state);
  if (state.requester === env.self) {
    return msg.error === null ? succeed(state.op, "copy", [msg.slot]) : refuse(state.op, "copy", msg.error);
  }
  return { state: undefined, outbox: [result(state.requester, state.op, msg.error, msg.slot)] };
}

/** On the requester: the owner's outcome. */
export function onCopyResult(_env: Env, state: CopyState, msg: CopyResult): Step<CopyState> {
  if (state.role !== "requester") return next(state);
  return msg.error === null ? succeed(state.op, "copy", [msg.slot]) : refuse(state.op, "copy", msg.error);
}

/** On the requester: the core asked is not the owner (any more). */
export function onCopyNotOwner(env: Env, state: CopyState): Step<CopyState> {
  if (state.role !== "requester") return next(state);
  return recheckCopy(env, { ...state, parked: true });
}

/** Re-evaluates a parked request after this core's view changed. */
export function recheckCopy(env: Env, state: CopyState): Step<CopyState> {
  if (state.role !== "requester" || !state.parked) return next(state);
  const held = env.store.lookup(state.src);
  if (!held || !sameObject(held.rep, state.cap)) return refuse(state.op, "copy", "CAP_NOT_FOUND");
  if (held.owner === state.askedOwner) return next(state);
  return askOwner(env, state);
}
