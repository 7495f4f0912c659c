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
export function scan(k: CapKernel): Seen[] {
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
