/**
 * A dispatcher's capabilities: its own CSpace (a root CNode and a first L2 CNode retyped from the
 * core's RAM), its Dispatcher object (the DCB's memory, retyped from RAM), and its PML4. Well-known
 * slots, as Barrelfish's `TASKCN` gives a new domain:
 *
 *   (0,0) the root CNode   (0,1) the Dispatcher   (0,2) the PML4   (0,8).. free
 *
 * The root CNode cap itself sits in the monitor's CSpace; the CSpace object resolves from there.
 */
import {
  type CapAddr,
  type CapResult,
  CSpace,
  capAddr,
  copy,
  deleteCap,
  L2_CNODE_BYTES,
  L2_SLOTS,
  ok,
  rootSlot,
  T,
  unwrap,
} from "@shoal/caps";
import { KernelError } from "../errors.js";
import { PAGE_BYTES } from "../ram/frame-allocator.js";
import type { CoreCaps } from "./core-caps.js";
import { SlotAllocator } from "./core-caps.js";

/** Well-known slots of a dispatcher's CSpace. */
export const DOMAIN_SLOTS = {
  rootCNode: capAddr(0, 0),
  dispatcher: capAddr(0, 1),
  pml4: capAddr(0, 2),
  firstFree: capAddr(0, 8),
} as const;

/** Slots of the root CNode a domain's CSpace has (one 16 KiB CNode: 256 L2 CNodes). */
const ROOT_BYTES = L2_CNODE_BYTES;

/** The capabilities of one dispatcher. */
export class DomainCaps {
  readonly core: CoreCaps;
  readonly cspace: CSpace;
  readonly slots: SlotAllocator;
  /** The root CNode cap's slot in the monitor's CSpace. */
  readonly rootSlot: CapAddr;
  /** Physical address of the PML4 (this dispatcher's CR3). */
  readonly pml4: number;
  /** Regions retyped for this dispatcher (freed when it is torn down and nothing names them). */
  readonly #regions: { base: number; bytes: number }[] = [];

  constructor(core: CoreCaps) {
    this.core = core;
    this.rootSlot = core.slots.next();
    const rootCte = core.cspace.resolve(this.rootSlot) as number;
    this.#keep(unwrap(core.retypeInto(rootCte, "CNode", ROOT_BYTES)), ROOT_BYTES);
    this.cspace = new CSpace(core.kernel, rootCte);
    this.slots = new SlotAllocator(this.cspace, DOMAIN_SLOTS.firstFree, (c) =>
      this.#retype(c, "CNode", L2_CNODE_BYTES),
    );
    unwrap(this.#retype(this.#cte(rootSlot(0)), "CNode", L2_CNODE_BYTES));
    unwrap(copy(core.kernel, rootCte, this.#cte(DOMAIN_SLOTS.rootCNode)));
    unwrap(this.#retype(this.#cte(DOMAIN_SLOTS.dispatcher), "Dispatcher", PAGE_BYTES, 1024));
    unwrap(this.#retype(this.#cte(DOMAIN_SLOTS.pml4), "VNode_x86_64_pml4", PAGE_BYTES));
    this.pml4 = core.kernel.s.base(this.#cte(DOMAIN_SLOTS.pml4));
  }

  /** Retypes RAM of the core into CTE `dst` for this dispatcher. */
  #retype(dst: number, type: string, bytes: number, objSize = bytes): CapResult<undefined> {
    const r = this.core.retypeInto(dst, type, bytes, objSize);
    if (!r.ok) return r;
    this.#keep(r.value, bytes);
    return ok(undefined);
  }

  #keep(base: number, bytes: number): void {
    this.#regions.push({ base, bytes });
  }

  #cte(addr: CapAddr): number {
    const c = this.cspace.resolve(addr);
    if (typeof c !== "number") throw new KernelError("BAD_FRAME", c.message);
    return c;
  }

  /** Retypes a new object for this dispatcher into a fresh slot of its CSpace; returns the slot. */
  retypeNew(type: string, bytes: number): CapResult<CapAddr> {
    const size = Math.ceil(bytes / PAGE_BYTES) * PAGE_BYTES;
    const addr = this.slots.next();
    const r = this.#retype(this.#cte(addr), type, size);
    return r.ok ? ok(addr) : r;
  }

  /** The non-empty slots of this CSpace, in address order. */
  list(): { addr: CapAddr; cte: number }[] {
    const s = this.core.kernel.s;
    const out: { addr: CapAddr; cte: number }[] = [];
    const rootSlots = s.size(this.cspace.rootCte) / (L2_CNODE_BYTES / L2_SLOTS);
    for (let l1 = 0; l1 < rootSlots; l1++) {
      const r = this.cspace.resolve(rootSlot(l1));
      if (typeof r !== "number" || s.type(r) !== T.CNode) continue;
      for (let l2 = 0; l2 < L2_SLOTS; l2++) {
        const addr = capAddr(l1, l2);
        const c = this.cspace.resolve(addr);
        if (typeof c === "number" && s.type(c) !== T.Null) out.push({ addr, cte: c });
      }
    }
    return out;
  }

  /**
   * Tears the CSpace down when the dispatcher is gone: every cap in it is deleted (mappings first, so
   * the page tables are cleared before the tables go), then the root CNode, then the RAM it used is
   * given back where no capability names it any more (a frame another domain holds a copy of stays).
   */
  destroy(): void {
    const k = this.core.kernel;
    const caps = this.list().reverse();
    for (const { cte } of caps) if (k.s.type(cte) !== T.CNode) deleteCap(k, cte);
    for (const { cte } of caps) if (k.s.type(cte) !== T.Null) deleteCap(k, cte);
    const root = this.core.cspace.resolve(this.rootSlot);
    if (typeof root === "number" && k.s.type(root) !== T.Null) deleteCap(k, root);
    for (const r of this.#regions) this.core.release(r.base, r.bytes);
    this.#regions.length = 0;
  }
}
