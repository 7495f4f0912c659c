/**
 * A CSpace: a root CNode (any CNode cap, held in a kernel CTE such as a dispatcher's) and the
 * operations invoked through addresses in it. Every reference is resolved and checked on each use;
 * each method decodes (resolution and checks, with precise errors) before it acts.
 */

import { type CapAddr, formatCapAddr, isCapAddr, ROOT_SLOT_BASE } from "../cspace/address.js";
import { CTE_SIZE, L2_CNODE_BYTES, L2_SLOTS } from "../cspace/cte-layout.js";
import { type CapFailure, type CapResult, fail, ok } from "../errors.js";
import { copy, mint } from "../ops/copy.js";
import { deleteCap, revoke } from "../ops/delete.js";
import { type CapInfo, identify } from "../ops/identify.js";
import { type MonitorOptions, type RetypeRequest, retype } from "../ops/retype.js";
import { T, TYPE_IS_MAPPING, TYPE_VNODE_LEVEL, typeName } from "../types/rules.js";
import { type MapRequest, map, modifyFlags } from "../vnode/map.js";
import type { MapFlags } from "../vnode/pte.js";
import { decodeFault, type PageFault, translate } from "../vnode/translate.js";
import type { CapKernel } from "./cap-kernel.js";

/** Negative slot() results. */
const E_BAD_ADDR = -1;
const E_RANGE = -2;
const E_EMPTY = -3;
const E_TYPE = -4;

/** A translation through a root VNode: a physical address or a page fault. */
export type Translation =
  | { readonly phys: number; readonly fault?: undefined }
  | { readonly fault: PageFault };

/** One CSpace of a core. */
export class CSpace {
  readonly k: CapKernel;
  /** The CTE holding this CSpace's root CNode cap. */
  readonly rootCte: number;

  constructor(kernel: CapKernel, rootCte: number) {
    this.k = kernel;
    this.rootCte = rootCte;
  }

  /**
   * The CTE number of the slot at `addr` (empty or not), or a negative code. The fast path of every
   * invocation: a few typed-array reads, no allocation.
   */
  slot(addr: CapAddr): number {
    const s = this.k.s;
    const root = this.rootCte;
    if (s.type(root) !== T.CNode) return E_EMPTY;
    const rootSlots = s.size(root) / CTE_SIZE;
    const rootFirst = s.base(root) / CTE_SIZE;
    if (addr >= ROOT_SLOT_BASE) {
      const i = addr - ROOT_SLOT_BASE;
      if (!(i < rootSlots) || i % 1 !== 0) return i % 1 === 0 && i < ROOT_SLOT_BASE ? E_RANGE : E_BAD_ADDR;
      return rootFirst + i;
    }
    if (!(addr >= 0) || addr % 1 !== 0) return E_BAD_ADDR;
    const l1 = Math.floor(addr / L2_SLOTS);
    if (l1 >= rootSlots) return E_RANGE;
    const l2cap = rootFirst + l1;
    const t = s.type(l2cap);
    if (t === T.Null) return E_EMPTY;
    if (t !== T.CNode || s.size(l2cap) !== L2_CNODE_BYTES) return E_TYPE;
    return s.base(l2cap) / CTE_SIZE + (addr % L2_SLOTS);
  }

  /** The CTE at `addr`, or why not. */
  resolve(addr: CapAddr): number | CapFailure {
    const c = isCapAddr(addr) ? this.slot(addr) : E_BAD_ADDR;
    if (c >= 0) return c;
    const where = isCapAddr(addr) ? formatCapAddr(addr) : String(addr);
    switch (c) {
      case E_RANGE:
        return fail("OUT_OF_RANGE", `address ${where} lies beyond the root CNode`);
      case E_EMPTY:
        return fail("CAP_NOT_FOUND", `address ${where} goes through an empty root slot`);
      case E_TYPE:
        return fail("CAP_TYPE", `address ${where} goes through a root slot that is not an L2 CNode`);
      default:
        return fail("INVALID_ARGUMENT", `${where} is not a CSpace address`);
    }
  }

  /** The CTE of a non-empty slot. */
  lookup(addr: CapAddr): number | CapFailure {
    const c = this.resolve(addr);
    if (typeof c !== "number") return c;
    if (this.k.s.type(c) === T.Null) return fail("CAP_NOT_FOUND", `slot ${formatCapAddr(addr)} is empty`);
    return c;
  }

  /** The first CTE of `count` consecutive slots from `addr`, all in one CNode. */
  range(addr: CapAddr, count: number): number | CapFailure {
    const c = this.resolve(addr);
    if (typeof c !== "number") return c;
    if (!Number.isSafeInteger(count) || count < 1)
      return fail("INVALID_ARGUMENT", "count must be at least 1");
    const limit =
      addr >= ROOT_SLOT_BASE
        ? this.k.s.size(this.rootCte) / CTE_SIZE - (addr - ROOT_SLOT_BASE)
        : L2_SLOTS - (addr % L2_SLOTS);
    if (count > limit)
      return fail("OUT_OF_RANGE", `${count} slots from ${formatCapAddr(addr)} cross the end of the CNode`);
    return c;
  }

  /** What the capability at `addr` names (needs IDENTIFY). */
  identify(addr: CapAddr): CapResult<CapInfo> {
    const c = this.lookup(addr);
    return typeof c === "number" ? identify(this.k, c) : c;
  }

  /** Retypes the capability at `src` into `req.count` new capabilities from slot `dest` on. */
  retype(src: CapAddr, req: RetypeRequest, dest: CapAddr, opts: MonitorOptions = {}): CapResult<undefined> {
    const c = this.lookup(src);
    if (typeof c !== "number") return c;
    if (!Number.isSafeInteger(req.count) || req.count < 1)
      return fail("INVALID_ARGUMENT", "count must be at least 1");
    const d = this.range(dest, req.count);
    if (typeof d !== "number") return d;
    return retype(this.k, c, req, d, opts);
  }

  /** Copies the capability at `src` to the empty slot `dest`. */
  copy(src: CapAddr, dest: CapAddr): CapResult<undefined> {
    const c = this.lookup(src);
    if (typeof c !== "number") return c;
    const d = this.resolve(dest);
    return typeof d === "number" ? copy(this.k, c, d) : d;
  }

  /** Copies with rights narrowed to `rights` and, for an EndPoint, a badge. */
  mint(src: CapAddr, dest: CapAddr, rights: number, badge = 0): CapResult<undefined> {
    const c = this.lookup(src);
    if (typeof c !== "number") return c;
    const d = this.resolve(dest);
    return typeof d === "number" ? mint(this.k, c, d, rights, badge) : d;
  }

  /** Deletes the capability at `addr`. */
  delete(addr: CapAddr, opts: MonitorOptions = {}): CapResult<undefined> {
    const c = this.lookup(addr);
    return typeof c === "number" ? deleteCap(this.k, c, opts) : c;
  }

  /** Deletes every copy and descendant of the capability at `addr` (on this core), keeping it. */
  revoke(addr: CapAddr, opts: MonitorOptions = {}): CapResult<undefined> {
    const c = this.lookup(addr);
    return typeof c === "number" ? revoke(this.k, c, opts) : c;
  }

  /** Maps the capability at `src` into the VNode at `vnode`, the mapping cap going to `dest`. */
  map(vnode: CapAddr, src: CapAddr, req: MapRequest, dest: CapAddr): CapResult<undefined> {
    const v = this.lookup(vnode);
    if (typeof v !== "number") return v;
    const c = this.lookup(src);
    if (typeof c !== "number") return c;
    const d = this.resolve(dest);
    return typeof d === "number" ? map(this.k, v, c, req, d) : d;
  }

  /** Unmaps: deletes the mapping cap at `mapping`, clearing its entries. */
  unmap(mapping: CapAddr): CapResult<undefined> {
    const m = this.lookup(mapping);
    if (typeof m !== "number") return m;
    const t = this.k.s.type(m);
    if (TYPE_IS_MAPPING[t] !== 1) return fail("CAP_TYPE", `${typeName(t)} is not a mapping`);
    return deleteCap(this.k, m);
  }

  /** Changes the page flags of the mapping at `mapping`. */
  modifyFlags(mapping: CapAddr, flags: MapFlags): CapResult<undefined> {
    const m = this.lookup(mapping);
    return typeof m === "number" ? modifyFlags(this.k, m, flags) : m;
  }

  /** The physical base of the PML4 at `addr` (the CR3 value the fast {@link translate} takes). */
  pml4Base(addr: CapAddr): CapResult<number> {
    const c = this.lookup(addr);
    if (typeof c !== "number") return c;
    if (TYPE_VNODE_LEVEL[this.k.s.type(c)] !== 4) return fail("CAP_TYPE", "not a VNode_x86_64_pml4");
    return ok(this.k.s.base(c));
  }

  /** Translates `vaddr` through the PML4 at `root` for an `access` (ACCESS_* bits). */
  translate(root: CapAddr, vaddr: number, access: number): CapResult<Translation> {
    const base = this.pml4Base(root);
    if (!base.ok) return base;
    const r = translate(this.k.mem.u32, base.value, vaddr, access);
    return ok(r < 0 ? { fault: decodeFault(r) } : { phys: r });
  }
}
