/**
 * The mapping database: every capability of one core in an AA tree (as Barrelfish's `lib/mdb`)
 * ordered by {@link compareToKey}, threaded through the CTEs themselves (left, right, level words) and
 * augmented with each subtree's largest end address, so that "is anything in this key range
 * reaching past address X" is answered in O(log n). Insert, remove and every query are O(log n).
 */
import type { CteStore } from "../cspace/cte.js";
import { NIL, W_INFO, W_LEFT, W_RIGHT } from "../cspace/cte-layout.js";
import { COPY_ALWAYS, TYPE_COPY, TYPE_ROOT } from "../types/rules.js";
import { compareCtes, compareToKey } from "./order.js";

/** The mapping database of one core. */
export class Mdb {
  readonly s: CteStore;
  private readonly u: Uint32Array;
  private readonly f: Float64Array;
  /** The tree's root CTE, or NIL. */
  root = NIL;
  /** Number of CTEs in the tree. */
  count = 0;

  constructor(store: CteStore) {
    this.s = store;
    this.u = store.u32;
    this.f = store.f64;
  }

  /** Inserts CTE `c` (its key fields written, links unset). */
  insert(c: number): void {
    const u = this.u;
    u[c * 16 + W_LEFT] = NIL;
    u[c * 16 + W_RIGHT] = NIL;
    this.setLvl(c, 1);
    this.f[c * 8 + 2] = (this.f[c * 8] as number) + (this.f[c * 8 + 1] as number);
    this.count++;
    if (this.root === NIL) {
      this.root = c;
      return;
    }
    this.setKeyOf(c);
    let depth = 0;
    for (let t = this.root; t !== NIL; depth++) t = this.step(depth, t);
    this.retrace(depth - 1, c, 0, Number.POSITIVE_INFINITY);
  }

  /** Removes CTE `c`, which must be in the tree. */
  remove(c: number): void {
    this.removeAt(this.locate(c), c);
  }

  /**
   * Removes CTE `c` if another CTE on this core names the same object (the copy + delete fast
   * path: one descent for the question and the removal). Returns whether it removed `c`.
   */
  removeIfCopied(c: number): boolean {
    const depth = this.locate(c);
    if (!this.copyBeside(depth, c)) return false;
    this.removeAt(depth, c);
    return true;
  }

  // --- tree mechanics ----------------------------------------------------------------------------
  // The hot paths read the CTE words directly (u32 index c*16+w, f64 index c*8+f) instead of
  // through CteStore: V8 did not inline the accessors on these paths (cpu profile).
  // Insert and remove are iterative over an explicit path and stop retracing at the first node whose
  // subtree root, level and end are unchanged: nothing above it can change either, so a copy +
  // delete touches a few nodes near the leaves instead of every level up to the root.

  /**
   * The descent to the CTE being inserted or removed: the node at depth i and the link taken there
   * (W_LEFT or W_RIGHT). An AA tree is at most 2 log2(n) deep: 64 levels hold 2^32 nodes.
   */
  private readonly pathNode = new Uint32Array(72);
  private readonly pathLink = new Uint8Array(72);

  /** The key of the CTE being inserted or removed, compared against on the way down. */
  private kRoot = 0;
  private kBase = 0;
  private kSize = 0;
  private kType = 0;
  private kId = 0;

  private setKey(root: number, base: number, size: number, type: number, id: number): void {
    this.kRoot = root;
    this.kBase = base;
    this.kSize = size;
    this.kType = type;
    this.kId = id;
  }

  private setKeyOf(c: number): void {
    const t = (this.u[c * 16 + W_INFO] as number) & 0xff;
    this.setKey(TYPE_ROOT[t] as number, this.f[c * 8] as number, this.f[c * 8 + 1] as number, t, c);
  }

  /** Compares CTE `t` with the current key: negative if t sorts before it. Same order as compareToKey. */
  private cmpKey(t: number): number {
    const ty = (this.u[t * 16 + W_INFO] as number) & 0xff;
    const r = TYPE_ROOT[ty] as number;
    if (r !== this.kRoot) return r - this.kRoot;
    const b = this.f[t * 8] as number;
    if (b !== this.kBase) return b < this.kBase ? -1 : 1;
    const z = this.f[t * 8 + 1] as number;
    if (z !== this.kSize) return z > this.kSize ? -1 : 1;
    if (ty !== this.kType) return ty - this.kType;
    return t === this.kId ? 0 : t < this.kId ? -1 : 1;
  }

  /** Records node `t` at `depth` of the path, with the link towards the key; returns that child. */
  private step(depth: number, t: number): number {
    const w = this.cmpKey(t) > 0 ? W_LEFT : W_RIGHT;
    this.pathNode[depth] = t;
    this.pathLink[depth] = w;
    return this.u[t * 16 + w] as number;
  }

  /** Fills the path with the descent from the root to `c`; returns its depth. */
  private locate(c: number): number {
    this.setKeyOf(c);
    let depth = 0;
    for (let t = this.root; t !== c; depth++) {
      // A kernel bug, not input: every caller removes or queries a CTE it knows is in the tree.
      if (t === NIL) throw new Error(`MDB: CTE ${c} is not in the tree`);
      t = this.step(depth, t);
    }
    return depth;
  }

  /** True if `c`'s neighbour in order (found from the descent of {@link locate}) is a copy of it. */
  private copyBeside(depth: number, c: number): boolean {
    const u = this.u;
    const l = u[c * 16 + W_LEFT] as number;
    const r = u[c * 16 + W_RIGHT] as number;
    let pred = l === NIL ? NIL : this.maxOf(l);
    let succ = r === NIL ? NIL : this.minOf(r);
    // Without a child on a side, the neighbour there is the last ancestor left from that side.
    for (let i = depth - 1; i >= 0 && (pred === NIL || succ === NIL); i--) {
      const node = this.pathNode[i] as number;
      if (this.pathLink[i] === W_RIGHT) {
        if (pred === NIL) pred = node;
      } else if (succ === NIL) succ = node;
    }
    return (pred !== NIL && this.isCopy(pred, c)) || (succ !== NIL && this.isCopy(succ, c));
  }

  /** Removes `c`, reached by the descent of {@link locate} of length `depth`. */
  private removeAt(depth: number, c: number): void {
    const u = this.u;
    this.count--;
    const l = u[c * 16 + W_LEFT] as number;
    const r = u[c * 16 + W_RIGHT] as number;
    if (r === NIL) {
      // A node without a right child is a level-1 leaf in an AA tree (its left child would sit a
      // level lower): unlink it.
      this.retrace(depth - 1, l, 1, Number.POSITIVE_INFINITY);
      return;
    }
    // An inner node is replaced structurally by its successor n (the CTE is the node): n is the
    // leftmost of the right subtree, at level 1 with at most a level-1 right child, which takes
    // n's place. Retracing starts at n's old parent; the node at c's depth is n from then on.
    const cDepth = depth;
    this.pathNode[depth] = c;
    this.pathLink[depth++] = W_RIGHT;
    let n = r;
    while (u[n * 16 + W_LEFT] !== NIL) {
      this.pathNode[depth] = n;
      this.pathLink[depth++] = W_LEFT;
      n = u[n * 16 + W_LEFT] as number;
    }
    const nRight = u[n * 16 + W_RIGHT] as number;
    u[n * 16 + W_LEFT] = l;
    u[n * 16 + W_RIGHT] = r;
    this.setLvl(n, this.lvl(c));
    if (cDepth === 0) this.root = n;
    else u[(this.pathNode[cDepth - 1] as number) * 16 + (this.pathLink[cDepth - 1] as number)] = n;
    this.pathNode[cDepth] = n;
    this.retrace(depth - 1, nRight, 1, cDepth);
  }

  /**
   * Rebalances from the node at depth `i` of the path up: `child` is the subtree now hanging from
   * the link taken at `i`. `mode` 0 after an insert (skew, split), 1 after a removal (lower levels,
   * then Andersson's three skews and two splits). Stops where the subtree looks to its parent as
   * before; it may stop only above depth `stopAbove` (down to there a node was replaced, and the
   * parent's view of it is stale).
   */
  private retrace(i: number, child: number, mode: number, stopAbove: number): void {
    const u = this.u;
    const f = this.f;
    // The level the link's old target had before this retrace changed it: nothing (0) below an
    // insert; after a removal, a level-1 node (the removed leaf, or the successor that moved up).
    let childLevel = mode === 0 ? 0 : 1;
    for (; i >= 0; i--) {
      const t = this.pathNode[i] as number;
      const level = this.lvl(t);
      const rightLevel = this.pathLink[i] === W_RIGHT ? childLevel : this.lvl(u[t * 16 + W_RIGHT] as number);
      const end = f[t * 8 + 2] as number;
      u[t * 16 + (this.pathLink[i] as number)] = child;
      this.update(t);
      const top = mode === 0 ? this.split(this.skew(t)) : this.rebalanceAfterRemoval(t);
      // The parent's invariants read this subtree's root, its level, its right child's level
      // (two horizontal links) and its end: if none changed, no rebalancing above would act.
      if (
        top === t &&
        i < stopAbove &&
        this.lvl(t) === level &&
        this.lvl(u[t * 16 + W_RIGHT] as number) === rightLevel &&
        f[t * 8 + 2] === end
      )
        return;
      child = top;
      childLevel = level;
    }
    this.root = child;
  }

  /** One node's rebalancing after a removal below it (Andersson); returns the subtree's new root. */
  private rebalanceAfterRemoval(t: number): number {
    const u = this.u;
    const should =
      Math.min(this.lvl(u[t * 16 + W_LEFT] as number), this.lvl(u[t * 16 + W_RIGHT] as number)) + 1;
    if (should < this.lvl(t)) {
      this.setLvl(t, should);
      const r = u[t * 16 + W_RIGHT] as number;
      if (r !== NIL && should < this.lvl(r)) this.setLvl(r, should);
    }
    t = this.skew(t);
    const r1 = this.skew(u[t * 16 + W_RIGHT] as number);
    u[t * 16 + W_RIGHT] = r1;
    if (r1 !== NIL) u[r1 * 16 + W_RIGHT] = this.skew(u[r1 * 16 + W_RIGHT] as number);
    t = this.split(t);
    u[t * 16 + W_RIGHT] = this.split(u[t * 16 + W_RIGHT] as number);
    // Rotations above only update the rotated nodes; t's own end may still need its new children's.
    const rt = u[t * 16 + W_RIGHT] as number;
    if (rt !== NIL) this.update(rt);
    this.update(t);
    return t;
  }

  private lvl(t: number): number {
    return t === NIL ? 0 : (this.u[t * 16 + W_INFO] as number) >>> 24;
  }

  private setLvl(t: number, level: number): void {
    const i = t * 16 + W_INFO;
    this.u[i] = (((this.u[i] as number) & 0x00ff_ffff) | (level << 24)) >>> 0;
  }

  /** Recomputes the subtree end of `t` from its own end and its children's. */
  private update(t: number): void {
    const u = this.u;
    const f = this.f;
    let e = (f[t * 8] as number) + (f[t * 8 + 1] as number);
    const l = u[t * 16 + W_LEFT] as number;
    const r = u[t * 16 + W_RIGHT] as number;
    if (l !== NIL) {
      const le = f[l * 8 + 2] as number;
      if (le > e) e = le;
    }
    if (r !== NIL) {
      const re = f[r * 8 + 2] as number;
      if (re > e) e = re;
    }
    f[t * 8 + 2] = e;
  }

  private skew(t: number): number {
    if (t === NIL) return t;
    const u = this.u;
    const l = u[t * 16 + W_LEFT] as number;
    if (l === NIL || (u[l * 16 + W_INFO] as number) >>> 24 !== (u[t * 16 + W_INFO] as number) >>> 24)
      return t;
    u[t * 16 + W_LEFT] = u[l * 16 + W_RIGHT] as number;
    u[l * 16 + W_RIGHT] = t;
    this.update(t);
    this.update(l);
    return l;
  }

  private split(t: number): number {
    if (t === NIL) return t;
    const u = this.u;
    const r = u[t * 16 + W_RIGHT] as number;
    if (r === NIL) return t;
    const rr = u[r * 16 + W_RIGHT] as number;
    if (rr === NIL || (u[rr * 16 + W_INFO] as number) >>> 24 !== (u[t * 16 + W_INFO] as number) >>> 24)
      return t;
    u[t * 16 + W_RIGHT] = u[r * 16 + W_LEFT] as number;
    u[r * 16 + W_LEFT] = t;
    u[r * 16 + W_INFO] = ((u[r * 16 + W_INFO] as number) + (1 << 24)) >>> 0;
    this.update(t);
    this.update(r);
    return r;
  }

  private minOf(t: number): number {
    const u = this.u;
    while (u[t * 16 + W_LEFT] !== NIL) t = u[t * 16 + W_LEFT] as number;
    return t;
  }

  private maxOf(t: number): number {
    const u = this.u;
    while (u[t * 16 + W_RIGHT] !== NIL) t = u[t * 16 + W_RIGHT] as number;
    return t;
  }

  // --- queries -----------------------------------------------------------------------------------

  /** The first CTE greater than the key, or NIL. */
  after(root: number, base: number, size: number, type: number, id: number): number {
    this.setKey(root, base, size, type, id);
    const u = this.u;
    let t = this.root;
    let found = NIL;
    while (t !== NIL) {
      if (this.cmpKey(t) > 0) {
        found = t;
        t = u[t * 16 + W_LEFT] as number;
      } else t = u[t * 16 + W_RIGHT] as number;
    }
    return found;
  }

  /** The last CTE less than the key, or NIL. */
  before(root: number, base: number, size: number, type: number, id: number): number {
    this.setKey(root, base, size, type, id);
    const u = this.u;
    let t = this.root;
    let found = NIL;
    while (t !== NIL) {
      if (this.cmpKey(t) < 0) {
        found = t;
        t = u[t * 16 + W_RIGHT] as number;
      } else t = u[t * 16 + W_LEFT] as number;
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
