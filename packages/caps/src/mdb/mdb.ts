/**
 * The mapping database: every capability of one core in an AA tree (as Barrelfish's `lib/mdb`)
 * ordered by {@link compareToKey}, threaded through the CTEs themselves (left, right, level words) and
 * augmented with each subtree's largest end address, so that "is anything in this key range
 * reaching past address X" is answered in O(log n). Insert, remove and every query are O(log n).
 */
import type { CteStore } from "../cspace/cte.js";
import { NIL } from "../cspace/cte-layout.js";
import { COPY_ALWAYS, TYPE_COPY, TYPE_ROOT } from "../types/rules.js";
import { compareCtes, compareToKey } from "./order.js";

/** The mapping database of one core. */
export class Mdb {
  readonly s: CteStore;
  /** The tree's root CTE, or NIL. */
  root = NIL;
  /** Number of CTEs in the tree. */
  count = 0;

  constructor(store: CteStore) {
    this.s = store;
  }

  /** Inserts CTE `c` (its key fields written, links unset). */
  insert(c: number): void {
    const s = this.s;
    s.setLeft(c, NIL);
    s.setRight(c, NIL);
    s.setLevel(c, 1);
    s.setMdbEnd(c, s.end(c));
    this.root = this.ins(this.root, c);
    this.count++;
  }

  /** Removes CTE `c`, which must be in the tree. */
  remove(c: number): void {
    this.root = this.del(this.root, c);
    this.count--;
  }

  // --- tree mechanics ----------------------------------------------------------------------------

  private lvl(t: number): number {
    return t === NIL ? 0 : this.s.level(t);
  }

  /** Recomputes the subtree end of `t` from its own end and its children's. */
  private update(t: number): void {
    const s = this.s;
    let e = s.end(t);
    const l = s.left(t);
    const r = s.right(t);
    if (l !== NIL && s.mdbEnd(l) > e) e = s.mdbEnd(l);
    if (r !== NIL && s.mdbEnd(r) > e) e = s.mdbEnd(r);
    s.setMdbEnd(t, e);
  }

  private skew(t: number): number {
    const s = this.s;
    if (t === NIL) return t;
    const l = s.left(t);
    if (l === NIL || s.level(l) !== s.level(t)) return t;
    s.setLeft(t, s.right(l));
    s.setRight(l, t);
    this.update(t);
    this.update(l);
    return l;
  }

  private split(t: number): number {
    const s = this.s;
    if (t === NIL) return t;
    const r = s.right(t);
    if (r === NIL) return t;
    const rr = s.right(r);
    if (rr === NIL || s.level(rr) !== s.level(t)) return t;
    s.setRight(t, s.left(r));
    s.setLeft(r, t);
    s.setLevel(r, s.level(r) + 1);
    this.update(t);
    this.update(r);
    return r;
  }

  private ins(t: number, c: number): number {
    const s = this.s;
    if (t === NIL) return c;
    if (compareCtes(s, c, t) < 0) s.setLeft(t, this.ins(s.left(t), c));
    else s.setRight(t, this.ins(s.right(t), c));
    this.update(t);
    return this.split(this.skew(t));
  }

  private del(t: number, c: number): number {
    const s = this.s;
    if (t === NIL) return NIL;
    if (t !== c) {
      if (compareCtes(s, c, t) < 0) s.setLeft(t, this.del(s.left(t), c));
      else s.setRight(t, this.del(s.right(t), c));
    } else {
      const l = s.left(t);
      const r = s.right(t);
      if (l === NIL && r === NIL) return NIL;
      // The CTE is the node, so an inner node is replaced structurally by its neighbour in order.
      let n: number;
      if (r !== NIL) {
        n = this.minOf(r);
        const r2 = this.del(r, n);
        s.setLeft(n, l);
        s.setRight(n, r2);
      } else {
        n = this.maxOf(l);
        const l2 = this.del(l, n);
        s.setLeft(n, l2);
        s.setRight(n, NIL);
      }
      s.setLevel(n, s.level(t));
      t = n;
    }
    this.update(t);
    // Rebalance (Andersson): lower the level if a child is too low, then skew and split along the right spine.
    const should = Math.min(this.lvl(s.left(t)), this.lvl(s.right(t))) + 1;
    if (should < s.level(t)) {
      s.setLevel(t, should);
      const r = s.right(t);
      if (r !== NIL && should < s.level(r)) s.setLevel(r, should);
    }
    t = this.skew(t);
    const r1 = this.skew(s.right(t));
    s.setRight(t, r1);
    if (r1 !== NIL) s.setRight(r1, this.skew(s.right(r1)));
    t = this.split(t);
    s.setRight(t, this.split(s.right(t)));
    // Rotations above only update the rotated nodes; t's own end may still need its new children's.
    const rt = s.right(t);
    if (rt !== NIL) this.update(rt);
    this.update(t);
    return t;
  }

  private minOf(t: number): number {
    const s = this.s;
    while (s.left(t) !== NIL) t = s.left(t);
    return t;
  }

  private maxOf(t: number): number {
    const s = this.s;
    while (s.right(t) !== NIL) t = s.right(t);
    return t;
  }

  // --- queries -----------------------------------------------------------------------------------

  /** The first CTE greater than the key, or NIL. */
  after(root: number, base: number, size: number, type: number, id: number): number {
    const s = this.s;
    let t = this.root;
    let found = NIL;
    while (t !== NIL) {
      if (compareToKey(s, t, root, base, size, type, id) > 0) {
        found = t;
        t = s.left(t);
      } else t = s.right(t);
    }
    return found;
  }

  /** The last CTE less than the key, or NIL. */
  before(root: number, base: number, size: number, type: number, id: number): number {
    const s = this.s;
    let t = this.root;
    let found = NIL;
    while (t !== NIL) {
      if (compareToKey(s, t, root, base, size, type, id) < 0) {
        found = t;
        t = s.right(t);
      } else t = s.left(t);
    }
    return found;
  }

  /** The CTE after `c` in order, or NIL. */
  successor(c: number): number {
    const s = this.s;
    const ty = s.type(c);
    return this.after(TYPE_ROOT[ty] as number, s.base(c), s.size(c), ty, c);
  }

  /** The CTE before `c` in order, or NIL. */
  predecessor(c: number): number {
    const s = this.s;
    const ty = s.type(c);
    return this.before(TYPE_ROOT[ty] as number, s.base(c), s.size(c), ty, c);
  }

  /** True if CTEs `a` and `b` name the same object. */
  isCopy(a: number, b: number): boolean {
    const s = this.s;
    const t = s.type(a);
    if (t !== s.type(b)) return false;
    if (TYPE_COPY[t] === COPY_ALWAYS) return true;
    return s.base(a) === s.base(b) && s.size(a) === s.size(b);
  }

  /** True if another CTE on this core names the same object as `c`. */
  hasCopies(c: number): boolean {
    const p = this.predecessor(c);
    if (p !== NIL && this.isCopy(p, c)) return true;
    const n = this.successor(c);
    return n !== NIL && this.isCopy(n, c);
  }

  /** Some CTE of an object derived from `c`'s object (not a copy), or NIL. */
  firstDescendant(c: number): number {
    const s = this.s;
    const ty = s.type(c);
    const root = TYPE_ROOT[ty] as number;
    const n = this.after(root, s.base(c), s.size(c), ty, Number.POSITIVE_INFINITY);
    if (n === NIL || TYPE_ROOT[s.type(n)] !== root) return NIL;
    return s.base(n) < s.end(c) && s.end(n) <= s.end(c) ? n : NIL;
  }

  /** True if objects derived from `c`'s object exist on this core. */
  hasDescendants(c: number): boolean {
    return this.firstDescendant(c) !== NIL;
  }

  /** Some CTE of an object `c` derives from, or NIL. */
  firstAncestor(c: number): number {
    const s = this.s;
    const ty = s.type(c);
    const root = TYPE_ROOT[ty] as number;
    const end = s.end(c);
    // Ancestors precede c's copies and end at or after c's end: any such CTE contains c.
    return this.findFirst(
      this.root,
      root,
      Number.NEGATIVE_INFINITY,
      root,
      s.base(c),
      s.size(c),
      ty,
      Number.NEGATIVE_INFINITY,
      end - 1,
    );
  }

  /** True if `c` derives from another object on this core. */
  hasAncestors(c: number): boolean {
    return this.firstAncestor(c) !== NIL;
  }

  /**
   * The first CTE (in order) of type root `root` whose region overlaps [base, end), among those
   * after the key (root, afterBase, afterSize, afterType, afterId). Used by retype to find
   * descendants of the source in the requested region.
   */
  firstOverlapAfter(
    root: number,
    afterBase: number,
    afterSize: number,
    afterType: number,
    afterId: number,
    base: number,
    end: number,
  ): number {
    // Everything after the key with base < end and end > base; base < end is the upper key bound.
    const lo = this.after(root, afterBase, afterSize, afterType, afterId);
    if (lo === NIL) return NIL;
    const s = this.s;
    const loType = s.type(lo);
    return this.findFirst(
      this.root,
      TYPE_ROOT[loType] as number,
      s.base(lo),
      root,
      end,
      Number.POSITIVE_INFINITY,
      0,
      Number.NEGATIVE_INFINITY,
      base,
      s.size(lo),
      loType,
      lo,
    );
  }

  /**
   * Calls `visit` for every CTE of type root `root` whose region overlaps [base, end), in order.
   * Stops early if `visit` returns false.
   */
  overlapping(root: number, base: number, end: number, visit: (c: number) => boolean | undefined): void {
    this.visitRange(this.root, root, base, end, visit);
  }

  private visitRange(
    t: number,
    root: number,
    base: number,
    end: number,
    visit: (c: number) => boolean | undefined,
  ): boolean {
    const s = this.s;
    if (t === NIL || s.mdbEnd(t) <= base) return true;
    const r = TYPE_ROOT[s.type(t)] as number;
    const geLo = r >= root;
    const ltHi = r < root || (r === root && s.base(t) < end);
    if (geLo && !this.visitRange(s.left(t), root, base, end, visit)) return false;
    if (r === root && s.base(t) < end && s.end(t) > base && visit(t) === false) return false;
    if (ltHi) return this.visitRange(s.right(t), root, base, end, visit);
    return true;
  }

  /**
   * The leftmost CTE with lo ≤ key < hi whose end exceeds `minEnd`, where lo = (loRoot, loBase, ...)
   * and hi = (hiRoot, hiBase, hiSize, hiType, hiId). Prunes subtrees by their largest end.
   */
  private findFirst(
    t: number,
    loRoot: number,
    loBase: number,
    hiRoot: number,
    hiBase: number,
    hiSize: number,
    hiType: number,
    hiId: number,
    minEnd: number,
    loSize = Number.POSITIVE_INFINITY,
    loType = 0,
    loId = Number.NEGATIVE_INFINITY,
  ): number {
    const s = this.s;
    if (t === NIL || s.mdbEnd(t) <= minEnd) return NIL;
    const geLo = compareToKey(s, t, loRoot, loBase, loSize, loType, loId) >= 0;
    const ltHi = compareToKey(s, t, hiRoot, hiBase, hiSize, hiType, hiId) < 0;
    if (geLo) {
      const l = this.findFirst(
        s.left(t),
        loRoot,
        loBase,
        hiRoot,
        hiBase,
        hiSize,
        hiType,
        hiId,
        minEnd,
        loSize,
        loType,
        loId,
      );
      if (l !== NIL) return l;
    }
    if (geLo && ltHi && s.end(t) > minEnd) return t;
    if (ltHi) {
      return this.findFirst(
        s.right(t),
        loRoot,
        loBase,
        hiRoot,
        hiBase,
        hiSize,
        hiType,
        hiId,
        minEnd,
        loSize,
        loType,
        loId,
      );
    }
    return NIL;
  }

  /** Every CTE in order (for tests and debugging; O(n)). */
  toArray(): number[] {
    const out: number[] = [];
    const s = this.s;
    const walk = (t: number): void => {
      if (t === NIL) return;
      walk(s.left(t));
      out.push(t);
      walk(s.right(t));
    };
    walk(this.root);
    return out;
  }

  /** Checks the AA-tree invariants, the order and the end augmentation; returns the first violation. */
  check(): string | null {
    const s = this.s;
    let n = 0;
    const walk = (t: number): string | null => {
      if (t === NIL) return null;
      n++;
      const l = s.left(t);
      const r = s.right(t);
      const lv = s.level(t);
      if (l === NIL && r === NIL && lv !== 1) return `leaf ${t} has level ${lv}`;
      if (l !== NIL && s.level(l) !== lv - 1)
        return `left child of ${t} has level ${s.level(l)}, parent ${lv}`;
      if (r !== NIL && s.level(r) !== lv && s.level(r) !== lv - 1) return `right child of ${t} has bad level`;
      if (r !== NIL && s.right(r) !== NIL && s.level(s.right(r)) === lv)
        return `two horizontal links at ${t}`;
      if (lv > 1 && (l === NIL || r === NIL)) return `inner node ${t} at level ${lv} lacks a child`;
      if (l !== NIL && compareCtes(s, l, t) >= 0) return `order violated at ${t} (left)`;
      if (r !== NIL && compareCtes(s, r, t) <= 0) return `order violated at ${t} (right)`;
      let e = s.end(t);
      if (l !== NIL) e = Math.max(e, s.mdbEnd(l));
      if (r !== NIL) e = Math.max(e, s.mdbEnd(r));
      if (e !== s.mdbEnd(t)) return `end augmentation of ${t} is ${s.mdbEnd(t)}, should be ${e}`;
      return walk(l) ?? walk(r);
    };
    const err = walk(this.root);
    if (err !== null) return err;
    const all = this.toArray();
    for (let i = 1; i < all.length; i++) {
      if (compareCtes(s, all[i - 1] as number, all[i] as number) >= 0)
        return `in-order sequence not sorted at ${i}`;
    }
    return n === this.count ? null : `tree holds ${n} CTEs, count says ${this.count}`;
  }
}
