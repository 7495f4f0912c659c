/**
 * Delete and revoke (Barrelfish `caps_delete`, `caps_revoke`). Deleting the last copy of an object
 * cleans up what depended on its storage: a CNode's slots are deleted, a mappable object's mapping
 * caps (and their page-table entries) go, and a VNode's mapping caps inside it go. The region then
 * no longer has a live object in it, so its parent can retype it again.
 */

import {
  CTE_SIZE,
  FLAG_LOCKED,
  FLAG_REMOTE_COPIES,
  FLAG_REMOTE_DESCS,
  NIL,
  W_AUX4,
} from "../cspace/cte-layout.js";
import { type CapResult, fail, OK } from "../errors.js";
import type { CapKernel } from "../kernel/cap-kernel.js";
import { BASE_PAGE_SIZE } from "../physmem/physical-memory.js";
import { T, TYPE_IS_MAPPING, TYPE_MAPPING, TYPE_ROOT, TYPE_VNODE_LEVEL } from "../types/rules.js";
import { clearMapping } from "../vnode/map.js";
import type { MonitorOptions } from "./retype.js";

/** Deletes CTE `c` (decode, then invoke). */
export function deleteCap(k: CapKernel, c: number, opts: MonitorOptions = {}): CapResult<undefined> {
  const s = k.s;
  if (s.type(c) === T.Null) return fail("CAP_NOT_FOUND", "the slot is empty");
  const flags = s.flags(c);
  if ((flags & FLAG_LOCKED) !== 0)
    return fail("CAP_LOCKED", "the capability is locked by a distributed operation");
  if (!opts.fromMonitor && (flags & (FLAG_REMOTE_COPIES | FLAG_REMOTE_DESCS)) !== 0 && !k.mdb.hasCopies(c)) {
    return fail("RETRY_THROUGH_MONITOR", "the last local copy has remote relations: ownership must move");
  }
  removeCte(k, c);
  return OK;
}

/** Deletes every copy and descendant of CTE `c` on this core, keeping `c` itself. */
export function revoke(k: CapKernel, c: number, opts: MonitorOptions = {}): CapResult<undefined> {
  const s = k.s;
  const type = s.type(c);
  if (type === T.Null) return fail("CAP_NOT_FOUND", "the slot is empty");
  const flags = s.flags(c);
  if ((flags & FLAG_LOCKED) !== 0)
    return fail("CAP_LOCKED", "the capability is locked by a distributed operation");
  if (!opts.fromMonitor && (flags & (FLAG_REMOTE_COPIES | FLAG_REMOTE_DESCS)) !== 0) {
    return fail("RETRY_THROUGH_MONITOR", "the capability has remote copies or descendants");
  }
  const base = s.base(c);
  const size = s.size(c);
  const mdb = k.mdb;
  // One victim at a time, re-queried after each delete (a delete may take others with it). If c's
  // own slot lived in a CNode being deleted, c is gone too and revoke stops.
  for (;;) {
    if (s.type(c) !== type || s.base(c) !== base || s.size(c) !== size) break;
    let v = mdb.predecessor(c);
    if (v === NIL || !mdb.isCopy(v, c)) {
      v = mdb.successor(c);
      if (v === NIL || !mdb.isCopy(v, c)) v = mdb.firstDescendant(c);
    }
    if (v === NIL) break;
    removeCte(k, v);
  }
  return OK;
}

/**
 * Removes CTE `c` from the MDB and empties it, with the cleanup of a last copy. Kernel-internal: no
 * checks. Work is a stack, not recursion: a CNode of CNodes can be deep.
 */
export function removeCte(k: CapKernel, c: number): void {
  const s = k.s;
  const mdb = k.mdb;
  // Fast path (copy + delete): another copy remains and nothing hangs off this CTE.
  const type = s.type(c);
  if (TYPE_IS_MAPPING[type] !== 1 && mdb.removeIfCopied(c)) {
    s.clear(c);
    return;
  }
  const work = [c];
  while (work.length > 0) {
    const x = work.pop() as number;
    const type = s.type(x);
    if (type === T.Null) continue;
    const last = !mdb.hasCopies(x);
    mdb.remove(x);
    if (TYPE_IS_MAPPING[type] === 1) clearMapping(k, x);
    if (last) pushDependents(k, x, type, work);
    s.clear(x);
  }
}

/** Pushes the CTEs that die with the last copy of object `x`. */
function pushDependents(k: CapKernel, x: number, type: number, work: number[]): void {
  const s = k.s;
  if (type === T.CNode) {
    const first = s.base(x) / CTE_SIZE;
    const slots = s.size(x) / CTE_SIZE;
    for (let i = 0; i < slots; i++) if (s.type(first + i) !== T.Null) work.push(first + i);
    return;
  }
  const mapping = TYPE_MAPPING[type] as number;
  if (mapping !== 0) {
    // The object's own mappings: mapping caps at its base, recording its size (x is already out of the MDB).
    const base = s.base(x);
    const pages = s.size(x) / BASE_PAGE_SIZE;
    k.mdb.overlapping(TYPE_ROOT[type] as number, base, base + 1, (m) => {
      if (s.type(m) === mapping && s.base(m) === base && s.word(m, W_AUX4) === pages) work.push(m);
      return true;
    });
  }
  if (TYPE_VNODE_LEVEL[type] !== 0) {
    // Mappings inside this page table.
    const key = s.base(x) / BASE_PAGE_SIZE;
    const table = k.tableMappings.get(key);
    if (table !== undefined) {
      for (let i = 0; i < table.length; i++) if (table[i] !== 0) work.push((table[i] as number) - 1);
      k.tableMappings.delete(key);
    }
  }
}
