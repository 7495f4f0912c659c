/**
 * The mapping database's order (Barrelfish `lib/mdb`): type root, then base ascending, then size
 * descending, then type, then CTE number as the final tie-break so that the order is total. With it,
 * an object's copies are adjacent, its descendants follow its copies, and its ancestors precede it.
 */
import type { CteStore } from "../cspace/cte.js";
import { TYPE_ROOT } from "../types/rules.js";

/** Compares two CTEs in MDB order: negative, zero (same CTE) or positive. */
export function compareCtes(s: CteStore, a: number, b: number): number {
  return compareToKey(s, a, TYPE_ROOT[s.type(b)] as number, s.base(b), s.size(b), s.type(b), b);
}

/**
 * Compares CTE `c` with the key (root, base, size, type, id). `id` may be ±Infinity to stand for the
 * first or last CTE of a group of copies.
 */
export function compareToKey(
  s: CteStore,
  c: number,
  root: number,
  base: number,
  size: number,
  type: number,
  id: number,
): number {
  const t = s.type(c);
  const r = TYPE_ROOT[t] as number;
  if (r !== root) return r - root;
  const b = s.base(c);
  if (b !== base) return b < base ? -1 : 1;
  const z = s.size(c);
  if (z !== size) return z > size ? -1 : 1;
  if (t !== type) return t - type;
  return c === id ? 0 : c < id ? -1 : 1;
}
