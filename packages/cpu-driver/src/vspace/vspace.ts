/**
 * A dispatcher's virtual address space: the page tables under its PML4, built from VNode caps retyped
 * from the core's RAM as maps need them, and the Frame mappings in them (mapping caps in the
 * dispatcher's CSpace). Mapped regions are laid out upwards from 1 GiB with an unmapped guard page
 * after each, so running off the end of a map is a not-present fault of the walk itself.
 */
import {
  type CapAddr,
  type CapResult,
  fail,
  map as mapCaps,
  ok,
  PT_ENTRIES,
  RIGHT_WRITE,
  T,
  typeName,
} from "@shoal/caps";
import type { DomainCaps } from "../caps/domain-caps.js";
import { DOMAIN_SLOTS } from "../caps/domain-caps.js";
import { PAGE_BYTES } from "../ram/frame-allocator.js";

/** Where a mapped region's addresses start. */
const VSPACE_BASE = 2 ** 30;
const SPAN = [0, PAGE_BYTES, 2 ** 21, 2 ** 30, 2 ** 39] as const;
const VNODE_OF_LEVEL = ["", "VNode_x86_64_ptable", "VNode_x86_64_pdir", "VNode_x86_64_pdpt"] as const;

/** One mapped region. */
export interface Mapping {
  readonly vaddr: number;
  readonly bytes: number;
  readonly writable: boolean;
  /** Its mapping caps (one per page table it spans). */
  readonly caps: readonly CapAddr[];
}

/** The address space of one dispatcher. */
export class VSpace {
  readonly caps: DomainCaps;
  /** Table by level and index of its first address: the CTE of its VNode cap. */
  readonly #tables = new Map<string, number>();
  #next = VSPACE_BASE;

  constructor(caps: DomainCaps) {
    this.caps = caps;
  }

  /** The VNode of `level` (1..3) covering `vaddr`, made and hooked into its parent if missing. */
  #table(level: number, vaddr: number): CapResult<number> {
    const cs = this.caps.cspace;
    if (level === 4) return ok(cs.resolve(DOMAIN_SLOTS.pml4) as number);
    const key = `${level}:${Math.floor(vaddr / (SPAN[level + 1] as number))}`;
    const have = this.#tables.get(key);
    if (have !== undefined) return ok(have);
    const parent = this.#table(level + 1, vaddr);
    if (!parent.ok) return parent;
    const made = this.caps.retypeNew(VNODE_OF_LEVEL[level] as string, PAGE_BYTES);
    if (!made.ok) return made;
    const cte = cs.resolve(made.value) as number;
    const slot = Math.floor(vaddr / (SPAN[level + 1] as number)) % PT_ENTRIES;
    const m = this.#mapInto(parent.value, cte, slot, 0, 1, false);
    if (!m.ok) return m;
    this.#tables.set(key, cte);
    return ok(cte);
  }

  /** Maps CTE `src` into CTE `vnode` (the tables are known by CTE); the mapping cap gets a new slot. */
  #mapInto(
    vnode: number,
    src: number,
    slot: number,
    offset: number,
    count: number,
    write: boolean,
  ): CapResult<CapAddr> {
    const dst = this.caps.slots.next();
    const d = this.caps.cspace.resolve(dst);
    if (typeof d !== "number") return d;
    const r = mapCaps(
      this.caps.cspace.k,
      vnode,
      src,
      { slot, offset, count, flags: { write, user: true } },
      d,
    );
    return r.ok ? ok(dst) : r;
  }

  /**
   * Maps the Frame at `frame` (an address in this dispatcher's CSpace) whole: writable when asked and
   * the cap has WRITE. Fails typed (CAP_NOT_FOUND, CAP_TYPE, CAP_RIGHTS, NO_MEMORY...).
   */
  map(frame: CapAddr, options: { readonly write?: boolean } = {}): CapResult<Mapping> {
    const cs = this.caps.cspace;
    const c = cs.lookup(frame);
    if (typeof c !== "number") return c;
    const s = cs.k.s;
    const t = s.type(c);
    if (t !== T.Frame && t !== T.DevFrame)
      return fail("CAP_TYPE", `a ${typeName(t)} cannot be mapped as memory`);
    const write = options.write ?? (s.rights(c) & RIGHT_WRITE) !== 0;
    const bytes = s.size(c);
    const vaddr = this.#next;
    const caps: CapAddr[] = [];
    for (let off = 0; off < bytes; ) {
      const va = vaddr + off;
      const pt = this.#table(1, va);
      if (!pt.ok) return this.#undo(caps, pt);
      const slot = Math.floor(va / PAGE_BYTES) % PT_ENTRIES;
      const count = Math.min(PT_ENTRIES - slot, (bytes - off) / PAGE_BYTES);
      const m = this.#mapInto(pt.value, c, slot, off, count, write);
      if (!m.ok) return this.#undo(caps, m);
      caps.push(m.value);
      off += count * PAGE_BYTES;
    }
    // Leave a guard page, and start the next map on a fresh page table's worth when large.
    this.#next = vaddr + bytes + PAGE_BYTES;
    return ok({ vaddr, bytes, writable: write, caps });
  }

  #undo<F>(caps: CapAddr[], failure: F): F {
    for (const m of caps) this.caps.cspace.unmap(m);
    return failure;
  }

  /** Removes a mapping: its entries are cleared and this core's TLB is flushed. */
  unmap(m: Mapping): CapResult<undefined> {
    for (const c of m.caps) {
      const r = this.caps.cspace.unmap(c);
      if (!r.ok) return r;
    }
    return ok(undefined);
  }
}
