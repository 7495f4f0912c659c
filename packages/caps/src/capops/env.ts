/**
 * One core's monitor-side tables for the distributed operations, and the helpers every operation
 * file shares. The operation states themselves are immutable values kept by the coordinator; the
 * tables here are the core's kernel-adjacent facts (which objects are locked by which operation,
 * which are marked for revoke, which copies are still travelling from this core), written only by
 * the handlers of the operation that owns the entry.
 */
import type { CapMessage, ErrorCode, Outgoing } from "./protocol.js";
import type { CapStore } from "./store.js";
import {
  type CapRep,
  type CoreId,
  capKey,
  type HeldCap,
  type OpId,
  overlaps,
  Rel,
  sameObject,
} from "./types.js";

/** Why an object is locked: decides the code a conflicting operation is refused with. */
export type LockKind = "retype" | "delete" | "revoke" | "move";

/** A lock on one object, held on its owner (or on a core that is acquiring ownership). */
export interface Lock {
  readonly op: OpId;
  readonly kind: LockKind;
}

/** One core's environment for the operation handlers. */
export interface Env {
  readonly self: CoreId;
  readonly cores: readonly CoreId[];
  readonly store: CapStore;
  /** Locks by object key. */
  readonly locks: Map<string, Lock>;
  /** Revoke marks held on this core: copies and descendants of these may not travel or change. */
  readonly marks: Map<OpId, CapRep>;
  /** Copies this core sent with copy_deliver and that are not yet acknowledged. */
  readonly deliveries: Map<OpId, CapRep>;
  /** Objects this core is acquiring ownership of to revoke them, by key. */
  readonly acquiring: Map<string, OpId>;
}

/** What an operation finished with. */
export type OpOutcome =
  | { readonly op: OpId; readonly kind: OpKind; readonly ok: true; readonly slots: readonly number[] }
  | { readonly op: OpId; readonly kind: OpKind; readonly ok: false; readonly code: ErrorCode };

/** The distributed operations. */
export type OpKind = "copy" | "retype" | "delete" | "revoke";

/** A handler's result: the operation's next state (undefined once finished), messages, outcome. */
export interface Step<S> {
  readonly state: S | undefined;
  readonly outbox: readonly Outgoing[];
  readonly done?: OpOutcome;
}

/** Releases `op`'s lock on the object, if it still holds it. */
export function unlock(env: Env, cap: CapRep, op: OpId): void {
  const key = capKey(cap);
  if (env.locks.get(key)?.op === op) env.locks.delete(key);
}

/** Finishes an operation successfully. */
export function succeed<S>(
  op: OpId,
  kind: OpKind,
  slots: readonly number[],
  outbox: readonly Outgoing[] = [],
): Step<S> {
  return { state: undefined, outbox, done: { op, kind, ok: true, slots } };
}

/** Finishes an operation with a typed refusal. */
export function refuse<S>(
  op: OpId,
  kind: OpKind,
  code: ErrorCode,
  outbox: readonly Outgoing[] = [],
): Step<S> {
  return { state: undefined, outbox, done: { op, kind, ok: false, code } };
}

/** Continues an operation. */
export function next<S>(state: S, outbox: readonly Outgoing[] = []): Step<S> {
  return { state, outbox };
}

/** The same message to every other core. */
export function broadcast(env: Env, msg: CapMessage): Outgoing[] {
  return env.cores.filter((c) => c !== env.self).map((to) => ({ to, msg }));
}

/** Every core but this one. */
export function others(env: Env): Set<CoreId> {
  return new Set(env.cores.filter((c) => c !== env.self));
}

/** The code a lock refuses a conflicting operation with. */
export function lockCode(lock: Lock): ErrorCode {
  switch (lock.kind) {
    case "delete":
    case "move":
      return "CAP_IN_DELETE";
    case "revoke":
      return "CAP_IN_REVOKE";
    case "retype":
      return "CAP_LOCKED";
  }
}

/** True if the cap held in `held` is a copy or a descendant of a revoke mark on this core. */
export function isMarked(env: Env, held: HeldCap): boolean {
  for (const mark of env.marks.values()) {
    if (sameObject(mark, held.rep)) return true;
    if (env.store.descendants(mark).some((d) => d.slot === held.slot)) return true;
  }
  return false;
}

/**
 * Why `held` may not take part in a new operation right now, or null: locked by another operation
 * on this core, or marked by a revoke in progress.
 */
export function busy(env: Env, held: HeldCap): ErrorCode | null {
  const key = capKey(held.rep);
  const lock = env.locks.get(key);
  if (lock) return lockCode(lock);
  if (env.acquiring.has(key)) return "CAP_IN_REVOKE";
  if (isMarked(env, held)) return "CAP_IN_REVOKE";
  return null;
}

/** True if a copy overlapping `cap`'s memory is still travelling from this core. */
export function deliveringWithin(env: Env, cap: CapRep): boolean {
  for (const d of env.deliveries.values()) if (overlaps(d.base, d.size, cap.base, cap.size)) return true;
  return false;
}

/**
 * Removes this core's CTE in `slot` when the object lives on elsewhere. Its local ancestors learn
 * that part of their memory is used on another core (Rel.Descendants), so that none of them is
 * retyped over it without asking the other cores.
 */
export function dropLocalCopy(env: Env, held: HeldCap, objectLivesOn: boolean): void {
  const last = env.store.copies(held.rep).length === 1;
  env.store.remove(held.slot, !objectLivesOn);
  // Remote copies may have been retyped: with either bit set, something of this object may live on.
  if (last && (objectLivesOn || (held.relations & (Rel.Copies | Rel.Descendants)) !== 0)) {
    for (const a of env.store.ancestors(held.rep)) env.store.setRelations(a.rep, Rel.Descendants, 0);
  }
}
