/**
 * Brute-force models for the property tests: every live CTE found by scanning memory (the kernel
 * page and every live CNode's slots), and the MDB relations recomputed from their definitions.
 */

import { CTE_SIZE } from "../src/cspace/cte-layout.js";
import type { CapKernel } from "../src/kernel/cap-kernel.js";
import { KERNEL_CTES } from "../src/kernel/cap-kernel.js";
import { COPY_ALWAYS, T, TYPE_COPY, TYPE_ROOT } from "../src/types/rules.js";

/** A live capability as the scan sees it. */
export interface Seen {
  readonly cte: number;
  readonly type: number;
  readonly root: number;
  readonly base: number;
  readonly size: number;
  readonly rights: number;
}

/** Every non-empty CTE in the kernel page and in the slots of every live CNode. */
export function scan(k: CapKernel, known: Iterable<{ base: number; size: number }> = []): Seen[] {
  const s = k.s;
  const seen = new Map<number, Seen>();
  const cnodes = new Set<number>();
  const visit = (first: number, n: number) => {
    for (let c = first; c < first + n; c++) {
      const type = s.type(c);
      if (type === T.Null || seen.has(c)) continue;
      seen.set(c, {
        cte: c,
        type,
        root: TYPE_ROOT[type] as number,
        base: s.base(c),
        size: s.size(c),
        rights: s.rights(c),
      });
      if (type === T.CNode && !cnodes.has(s.base(c))) {
        cnodes.add(s.base(c));
        visit(s.base(c) / CTE_SIZE, s.size(c) / CTE_SIZE);
      }
    }
  };
  visit(k.kernelCte, KERNEL_CTES);
  // CNodes the caller knows were made but that are not reachable: one whose last reachable copy went
  // while a copy of it sat in its own slots (or in a CNode it holds) is alive, as in seL4 and
  // Barrelfish (its parent's revoke reclaims it), and its slots are in the MDB. Which are alive is
  // the greatest fixpoint: a region's slots count while some counted CTE names the region's CNode.
  // A CNode that died had its slots cleared (a kernel that forgot would leave slots that nothing
  // names: they drop out here but stay in its MDB, which the comparison then catches).
  const extra = new Map<number, Seen[]>();
  for (const c of known) {
    if (cnodes.has(c.base)) continue;
    const first = c.base / CTE_SIZE;
    const slots: Seen[] = [];
    for (let x = first; x < first + c.size / CTE_SIZE; x++) {
      const type = s.type(x);
      if (type === T.Null || seen.has(x)) continue;
      slots.push({
        cte: x,
        type,
        root: TYPE_ROOT[type] as number,
        base: s.base(x),
        size: s.size(x),
        rights: s.rights(x),
      });
    }
    if (slots.length > 0) extra.set(c.base, slots);
  }
  const names = (base: number): boolean => {
    for (const x of seen.values()) if (x.type === T.CNode && x.base === base) return true;
    for (const slots of extra.values())
      for (const x of slots) if (x.type === T.CNode && x.base === base) return true;
    return false;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const base of [...extra.keys()])
      if (!names(base)) {
        extra.delete(base);
        changed = true;
      }
  }
  for (const slots of extra.values()) for (const x of slots) seen.set(x.cte, x);
  return [...seen.values()];
}

/** The MDB order, written independently of src/mdb/order.ts. */
export function refCompare(a: Seen, b: Seen): number {
  return a.root - b.root || a.base - b.base || b.size - a.size || a.type - b.type || a.cte - b.cte;
}

/** Same object. */
export function refIsCopy(a: Seen, b: Seen): boolean {
  if (a.type !== b.type) return false;
  return TYPE_COPY[a.type] === COPY_ALWAYS || (a.base === b.base && a.size === b.size);
}

/** `d` is derived from `a` (by range containment in one type tree, not a copy, ordered after it). */
export function refDerives(d: Seen, a: Seen): boolean {
  if (d.root !== a.root || refIsCopy(a, d) || d.cte === a.cte) return false;
  return d.base >= a.base && d.base + d.size <= a.base + a.size && refCompare(a, d) < 0 && a.size > 0;
}

/** Overlap of two regions (zero-size tokens overlap nothing). */
export function overlaps(a: Seen, b: Seen): boolean {
  return a.root === b.root && a.base < b.base + b.size && b.base < a.base + a.size;
}
