/**
 * One core's capability kernel: its CTE views, its mapping database, and the side table of which
 * mapping caps fill which page-table entries. Operations live in `ops/` and `vnode/`; a CSpace
 * (`cspace.ts`) resolves addresses to CTEs and calls them.
 */

import { CteStore } from "../cspace/cte.js";
import { CTE_SHIFT, CTE_SIZE } from "../cspace/cte-layout.js";
import { CapError } from "../errors.js";
import { Mdb } from "../mdb/mdb.js";
import { BASE_PAGE_SIZE, type PhysicalMemory } from "../physmem/physical-memory.js";

/** Number of kernel-held CTEs per core (one 4 KiB page): CSpace roots and the boot caps. */
export const KERNEL_CTES = BASE_PAGE_SIZE / CTE_SIZE;

/** Options of a core's capability kernel. */
export interface CapKernelOptions {
  /** This core's number (the owner written into the capabilities it creates). */
  readonly core: number;
  /**
   * Physical address of a 4 KiB page reserved for this core's kernel CTEs (its "kernel image":
   * never part of any capability's region).
   */
  readonly kernelPage: number;
}

/** The capability state of one core. */
export class CapKernel {
  readonly mem: PhysicalMemory;
  readonly s: CteStore;
  readonly mdb: Mdb;
  readonly core: number;
  /** CTE number of the first kernel CTE. */
  readonly kernelCte: number;
  /**
   * Page-table base / 4096 → for each of its 512 entries, 1 + the CTE number of the mapping cap
   * whose range starts there (0 = none). The page table itself holds only hardware bits; this is
   * how deleting a VNode finds the mapping caps inside it.
   */
  readonly tableMappings = new Map<number, Uint32Array>();

  /** TLBs of this core, flushed when a mapping goes or changes (see {@link attachTlb}). */
  private readonly tlbs: { flush(): void }[] = [];

  constructor(mem: PhysicalMemory, options: CapKernelOptions) {
    const { core, kernelPage } = options;
    if (!Number.isInteger(core) || core < 0 || core > 0xffff_ffff) {
      throw new CapError("INVALID_ARGUMENT", `core must be a u32, got ${core}`);
    }
    if (!mem.contains(kernelPage, BASE_PAGE_SIZE) || kernelPage % BASE_PAGE_SIZE !== 0) {
      throw new CapError("OUT_OF_RANGE", `kernelPage ${kernelPage} is not a 4 KiB page inside memory`);
    }
    this.mem = mem;
    this.s = new CteStore(mem);
    this.mdb = new Mdb(this.s);
    this.core = core;
    this.kernelCte = kernelPage >>> 0 === kernelPage ? kernelPage >>> CTE_SHIFT : kernelPage / CTE_SIZE;
  }

  /** Registers a TLB to be flushed whenever a mapping on this core is removed or its flags change. */
  attachTlb(tlb: { flush(): void }): void {
    this.tlbs.push(tlb);
  }

  /** Flushes this core's TLBs (after page-table entries were cleared or weakened). */
  flushTlbs(): void {
    for (const t of this.tlbs) t.flush();
  }

  /** The CTE number of kernel CTE `i` (0..63). */
  kernelSlot(i: number): number {
    return this.kernelCte + i;
  }
}
