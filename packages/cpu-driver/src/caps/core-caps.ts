/**
 * The capability system of one core: a `@shoal/caps` kernel over the machine's physical memory, booted
 * over this core's RAM region. The first page of the region is the kernel's own CTE page (its "kernel
 * image"); the rest becomes the boot RAM cap in the monitor's CSpace. Every frame, CNode, dispatcher and
 * page table this core hands out is a capability retyped from that RAM cap, so the MDB, not a side list,
 * is the record of what is used: retype refuses an overlap, `mem` counts the RAM cap's descendants.
 */
import {
  BOOT_SLOTS,
  bootCore,
  type CapAddr,
  type CapKernel,
  type CapResult,
  type CSpace,
  descendantsOf,
  fail,
  L2_CNODE_BYTES,
  L2_SLOTS,
  ok,
  PhysicalMemory,
  retype,
  rootSlot,
  T,
  TYPE_ROOT,
  typeName,
} from "@shoal/caps";
import { KernelError } from "../errors.js";
import { FrameAllocator, PAGE_BYTES } from "../ram/frame-allocator.js";
import type { DistributedCaps } from "./distributed.js";

/** Bytes of used RAM per capability type, for `mem`. */
export type UsedByType = Record<string, number>;

/** A region retyped from this core's RAM: where it is and the slot of its cap in the monitor's CSpace. */
export interface RetypedRegion {
  readonly base: number;
  readonly bytes: number;
  /** Its capability's address in the monitor's CSpace. */
  readonly slot: CapAddr;
}

/**
 * Empty slots of one CSpace, handed out in order; a root slot with no L2 CNode yet gets one (a CNode
 * retyped from the core's RAM straight into the root slot).
 */
export class SlotAllocator {
  readonly cs: CSpace;
  readonly #newL2: (rootCte: number) => CapResult<unknown>;
  #cursor: number;

  constructor(cs: CSpace, first: CapAddr, newL2: (rootCte: number) => CapResult<unknown>) {
    this.cs = cs;
    this.#cursor = first;
    this.#newL2 = newL2;
  }

  /** An empty slot's address; throws OUT_OF_MEMORY when the CSpace is full. */
  next(): CapAddr {
    const s = this.cs.k.s;
    const rootSlots = s.size(this.cs.rootCte) / (L2_CNODE_BYTES / L2_SLOTS);
    for (let tries = 0; tries < rootSlots * L2_SLOTS; tries++) {
      const addr = this.#cursor;
      this.#cursor = (addr + 1) % (rootSlots * L2_SLOTS);
      const l1 = Math.floor(addr / L2_SLOTS);
      const rootCte = this.cs.resolve(rootSlot(l1));
      if (typeof rootCte !== "number") continue;
      if (s.type(rootCte) === T.Null) {
        const r = this.#newL2(rootCte);
        if (!r.ok) throw new KernelError("OUT_OF_MEMORY", `no CNode for CSpace slots: ${r.message}`);
      }
      const c = this.cs.resolve(addr);
      if (typeof c === "number" && s.type(c) === T.Null) return addr;
    }
    throw new KernelError("OUT_OF_MEMORY", "the CSpace has no empty slot");
  }
}

/** One core's capability kernel and its RAM. */
export class CoreCaps {
  readonly mem: PhysicalMemory;
  readonly kernel: CapKernel;
  /** The monitor's CSpace: the boot CSpace, holding the RAM cap and what is retyped from it. */
  readonly cspace: CSpace;
  readonly slots: SlotAllocator;
  /** The whole region the machine gave the core. */
  readonly base: number;
  readonly bytes: number;
  readonly #ramCte: number;
  readonly #ramBase: number;
  readonly #ramSize: number;
  /** Placement only (which offset to retype next); the caps are the record. */
  readonly #place: FrameAllocator;
  /** Regions with copies on other cores: not given back until the last copy anywhere is gone ({@link reclaim}). */
  readonly #shared: { base: number; end: number }[] = [];
  /** Placements handed out and not yet given back, by base (so that a region is freed once). */
  readonly #placed = new Map<number, number>();
  /** The monitor's distributed operations, for caps with remote relations (null: local only). */
  distributed: DistributedCaps | null = null;

  constructor(
    core: number,
    memory: SharedArrayBuffer,
    ram: { readonly base: number; readonly bytes: number },
  ) {
    this.mem = new PhysicalMemory({ buffer: memory });
    this.base = ram.base;
    this.bytes = ram.bytes;
    const booted = bootCore(this.mem, {
      core,
      kernelPage: ram.base,
      ram: { base: ram.base + PAGE_BYTES, size: ram.bytes - PAGE_BYTES },
    });
    this.kernel = booted.kernel;
    this.cspace = booted.cspace;
    const c = this.cspace.lookup(BOOT_SLOTS.ram);
    if (typeof c !== "number") throw new KernelError("BAD_FRAME", c.message);
    this.#ramCte = c;
    this.#ramBase = this.kernel.s.base(c);
    this.#ramSize = this.kernel.s.size(c);
    this.#place = new FrameAllocator(this.#ramBase, this.#ramSize);
    this.slots = new SlotAllocator(this.cspace, BOOT_SLOTS.firstFree, (rootCte) =>
      this.retypeInto(rootCte, "CNode", L2_CNODE_BYTES),
    );
  }

  /**
   * Retypes `bytes` of free RAM into one `type` object (of `objSize` bytes, default all of it) and puts
   * its cap in CTE `dst`. The placement rounds to whole pages.
   */
  retypeInto(dst: number, type: string, bytes: number, objSize = bytes): CapResult<number> {
    let at: { base: number; bytes: number };
    try {
      at = this.#place.alloc(bytes);
    } catch (e) {
      return fail("NO_MEMORY", e instanceof Error ? e.message : String(e));
    }
    const r = retype(
      this.kernel,
      this.#ramCte,
      { type, offset: at.base - this.#ramBase, objSize, count: 1 },
      dst,
    );
    if (!r.ok) {
      this.#place.free(at);
      return r;
    }
    this.#placed.set(at.base, at.bytes);
    return ok(at.base);
  }

  /** Retypes a region into a new cap in the monitor's CSpace; throws OUT_OF_MEMORY or BAD_FRAME. */
  alloc(bytes: number, type = "Frame"): RetypedRegion {
    if (!Number.isInteger(bytes) || bytes <= 0)
      throw new KernelError("BAD_FRAME", `a frame must be a positive number of bytes, got ${bytes}`);
    const size = Math.ceil(bytes / PAGE_BYTES) * PAGE_BYTES;
    const slot = this.slots.next();
    const dst = this.cspace.resolve(slot) as number;
    const r = this.retypeInto(dst, type, size);
    if (!r.ok) throw new KernelError(r.code === "NO_MEMORY" ? "OUT_OF_MEMORY" : "BAD_FRAME", r.message);
    return { base: r.value, bytes: size, slot };
  }

  /**
   * Gives RAM back once no capability names it any more: called after the caps of a region were
   * deleted. A region some cap still names stays allocated (its memory is still reachable).
   */
  release(base: number, bytes: number): boolean {
    const size = Math.ceil(bytes / PAGE_BYTES) * PAGE_BYTES;
    if (this.#named(base, base + size) || this.#shared.some((r) => r.base < base + size && base < r.end))
      return false;
    const placed = this.#placed.get(base);
    if (placed === undefined || placed !== size) return false;
    this.#placed.delete(base);
    this.#place.free({ base, bytes: size });
    return true;
  }

  /**
   * The last copy anywhere of the object at [base, base + bytes) of this core's RAM is gone (deleted
   * here, or on the core that owned it last, which says so over intermon): the region is not shared
   * any more, and its RAM comes back unless a capability of this core still names it.
   */
  reclaim(base: number, bytes: number): boolean {
    const end = base + bytes;
    for (let i = this.#shared.length - 1; i >= 0; i--) {
      const r = this.#shared[i] as { base: number; end: number };
      if (r.base >= base && r.end <= end) this.#shared.splice(i, 1);
    }
    return this.release(base, Math.ceil(bytes / PAGE_BYTES) * PAGE_BYTES);
  }

  /** True when `addr` is in this core's RAM region. */
  holds(addr: number): boolean {
    return addr >= this.base && addr < this.base + this.bytes;
  }

  /** The CTE of the core's boot RAM cap (the monitor keeps remote bits off it: see capops/os-store). */
  get ramCte(): number {
    return this.#ramCte;
  }

  /** True when a capability of this core other than the RAM caps names part of the region. */
  #named(base: number, end: number): boolean {
    const k = this.kernel;
    let named = false;
    k.mdb.overlapping(TYPE_ROOT[T.RAM] as number, base, end, (c) => {
      const t = k.s.type(c);
      if (t !== T.RAM && t !== T.PhysAddr) named = true;
      return !named;
    });
    return named;
  }

  /** Records that a region of this core's RAM has capabilities on other cores. */
  markShared(base: number, bytes: number): void {
    // Another core's RAM is that core's to keep out of reuse.
    if (!this.holds(base)) return;
    if (this.#shared.some((r) => r.base === base && r.end === base + bytes)) return;
    this.#shared.push({ base, end: base + bytes });
  }

  /** Bytes of RAM retyped and still named by a capability. */
  get used(): number {
    return Object.values(this.usedByType()).reduce((a, b) => a + b, 0);
  }

  /** Used RAM by type of the capabilities retyped directly from the core's RAM cap. */
  usedByType(): UsedByType {
    const k = this.kernel;
    // The kernel page and the boot CSpace's two CNodes, made before the RAM cap.
    const out: UsedByType = { Boot: this.bytes - this.#ramSize };
    let end = -1;
    for (const c of descendantsOf(k, { type: "RAM", base: this.#ramBase, size: this.#ramSize })) {
      const t = k.s.type(c);
      const b = k.s.base(c);
      // Copies and objects inside an already counted region (mappings, endpoints) count once.
      if (b < end || T.Null === t) continue;
      const name = typeName(t);
      out[name] = (out[name] ?? 0) + Math.ceil(k.s.size(c) / PAGE_BYTES) * PAGE_BYTES;
      end = b + Math.max(k.s.size(c), 1);
    }
    // Regions only other cores' caps name now: held back from reuse, so counted as used.
    for (const r of this.#shared)
      if (!this.#named(r.base, r.end)) out.Shared = (out.Shared ?? 0) + (r.end - r.base);
    return out;
  }
}
