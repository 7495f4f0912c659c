/**
 * Queries and updates by object rather than by slot, for the monitor's side of the distributed
 * operations (a message names an object: type, base, size; each core finds its own CTEs of it).
 * All O(log n + answers) through the MDB.
 */

import { FLAG_REMOTE_MASK, NIL } from "../cspace/cte-layout.js";
import { type CapResult, fail, OK } from "../errors.js";
import { isBadge, isRightsMask } from "../types/rights.js";
import { T, TYPE_ROOT, typeIdOf } from "../types/rules.js";
import type { CapKernel } from "./cap-kernel.js";

/** An object's identity, as it travels between cores. */
export interface ObjectKey {
  readonly type: string;
  readonly base: number;
  readonly size: number;
}

/** This core's CTEs naming the object (its copies), in MDB order. */
export function copiesOf(k: CapKernel, obj: ObjectKey): number[] {
  const t = typeIdOf(obj.type);
  if (t < 0) return [];
  const root = TYPE_ROOT[t] as number;
  const out: number[] = [];
  const s = k.s;
  let c = k.mdb.after(root, obj.base, obj.size, t, Number.NEGATIVE_INFINITY);
  while (c !== NIL && s.type(c) === t && s.base(c) === obj.base && s.size(c) === obj.size) {
    out.push(c);
    c = k.mdb.successor(c);
  }
  return out;
}

/** This core's CTEs of objects derived from the object (not copies of it), in MDB order. */
export function descendantsOf(k: CapKernel, obj: ObjectKey): number[] {
  const t = typeIdOf(obj.type);
  if (t < 0) return [];
  const root = TYPE_ROOT[t] as number;
  const s = k.s;
  const end = obj.base + obj.size;
  const out: number[] = [];
  let c = k.mdb.after(root, obj.base, obj.size, t, Number.POSITIVE_INFINITY);
  while (c !== NIL && TYPE_ROOT[s.type(c)] === root && s.base(c) < end) {
    if (s.end(c) <= end) out.push(c);
    c = k.mdb.successor(c);
  }
  return out;
}

/** This core's CTEs of objects the object derives from (not copies of it). */
export function ancestorsOf(k: CapKernel, obj: ObjectKey): number[] {
  const t = typeIdOf(obj.type);
  if (t < 0) return [];
  const root = TYPE_ROOT[t] as number;
  const s = k.s;
  const out: number[] = [];
  const end = obj.base + obj.size;
  k.mdb.overlapping(root, obj.base, end, (c) => {
    const before =
      s.base(c) < obj.base ||
      (s.base(c) === obj.base && (s.size(c) > obj.size || (s.size(c) === obj.size && s.type(c) < t)));
    if (before && s.end(c) >= end) out.push(c);
    return true;
  });
  return out;
}

/** A capability to create from its representation (the monitor receiving a copy from another core). */
export interface CapRecord extends ObjectKey {
  readonly rights: number;
  readonly badge: number;
  readonly owner: number;
  /** FLAG_REMOTE_* bits. */
  readonly relations: number;
}

/** Writes a capability into the empty CTE `dst` and indexes it. Only the monitor may. */
export function insertCap(k: CapKernel, dst: number, cap: CapRecord): CapResult<undefined> {
  const t = typeIdOf(cap.type);
  if (t <= T.Null) return fail("INVALID_ARGUMENT", `unknown capability type ${JSON.stringify(cap.type)}`);
  if (!Number.isSafeInteger(cap.base) || !Number.isSafeInteger(cap.size) || cap.base < 0 || cap.size < 0) {
    return fail("INVALID_ARGUMENT", "base and size must be non-negative safe integers");
  }
  if (!isRightsMask(cap.rights) || !isBadge(cap.badge) || !isBadge(cap.owner)) {
    return fail("INVALID_ARGUMENT", "rights, badge or owner out of range");
  }
  if (k.s.type(dst) !== T.Null) return fail("SLOT_OCCUPIED", "the destination slot is occupied");
  k.s.write(dst, t, cap.base, cap.size, cap.rights, cap.badge, cap.owner);
  k.s.setFlags(dst, cap.relations & FLAG_REMOTE_MASK);
  k.mdb.insert(dst);
  return OK;
}

/** Sets the owner of every local copy of the object. */
export function setOwner(k: CapKernel, obj: ObjectKey, owner: number): void {
  for (const c of copiesOf(k, obj)) k.s.setOwner(c, owner);
}

/** Sets then clears flag bits (remote relations, locked, in-delete) in every local copy of the object. */
export function setFlags(k: CapKernel, obj: ObjectKey, set: number, clear: number): void {
  for (const c of copiesOf(k, obj)) k.s.setFlags(c, (k.s.flags(c) | set) & ~clear & 0xff);
}
