/**
 * A software TLB: a small direct-mapped cache of 4 KiB translations in front of the page walk,
 * tagged by page-table root (CR3) and virtual page number. Typed arrays only, so that a hit is a
 * few loads and compares (PERF-NOTES: 140-185 M/s against ~6.7 M/s for a walk).
 *
 * The capability kernel flushes every TLB attached to it when a mapping is removed or its flags
 * change on this core; other cores' TLBs are the shootdown protocol's business, which drops only the
 * range's pages (`invalidateRange`, x86's INVLPG) when the range is small.
 */
import { ACCESS_EXECUTE, ACCESS_USER, ACCESS_WRITE, translate, WALK_ALLOWED } from "./translate.js";

const CHECKED = ACCESS_WRITE | ACCESS_USER | ACCESS_EXECUTE;

/** A direct-mapped TLB over one physical memory. */
export class Tlb {
  private readonly u32: Uint32Array;
  private readonly mask: number;
  private readonly vpn: Float64Array;
  private readonly root: Float64Array;
  private readonly page: Float64Array;
  private readonly allowed: Uint8Array;

  /** `entries` must be a power of two. */
  constructor(u32: Uint32Array, entries = 64) {
    if (!Number.isInteger(entries) || entries < 1 || (entries & (entries - 1)) !== 0) {
      throw new RangeError(`TLB entries must be a power of two, got ${entries}`);
    }
    this.u32 = u32;
    this.mask = entries - 1;
    this.vpn = new Float64Array(entries).fill(-1);
    this.root = new Float64Array(entries);
    this.page = new Float64Array(entries);
    this.allowed = new Uint8Array(entries);
  }

  /** As {@link translate}, answering from the cache when it can. */
  translate(pml4: number, vaddr: number, access: number): number {
    const vpn = Math.floor(vaddr / 4096);
    const i = vpn & this.mask;
    if (
      this.vpn[i] === vpn &&
      this.root[i] === pml4 &&
      (access & CHECKED & ~(this.allowed[i] as number)) === 0
    ) {
      return (this.page[i] as number) + (vaddr - vpn * 4096);
    }
    const phys = translate(this.u32, pml4, vaddr, access);
    if (phys >= 0) {
      this.vpn[i] = vpn;
      this.root[i] = pml4;
      this.page[i] = phys - (vaddr - vpn * 4096);
      this.allowed[i] = WALK_ALLOWED[0] as number;
    }
    return phys;
  }

  /** Forgets every translation. */
  flush(): void {
    this.vpn.fill(-1);
  }

  /**
   * Forgets the translation of the page holding `vaddr` (x86's INVLPG): of the address space rooted
   * at `pml4`, or, without it, of every address space (INVPCID's all-contexts form). The shootdown
   * uses the latter: its messages name pages, not an address space, and dropping more than needed is
   * always safe. Other pages' entries survive.
   */
  invalidate(vaddr: number, pml4?: number): void {
    const vpn = Math.floor(vaddr / 4096);
    const i = vpn & this.mask;
    if (this.vpn[i] === vpn && (pml4 === undefined || this.root[i] === pml4)) this.vpn[i] = -1;
  }

  /**
   * {@link invalidate} for `pages` pages from the page holding `base`. Costs at most one pass over
   * the entries whatever the range (a direct-mapped TLB holds each page in one slot).
   */
  invalidateRange(base: number, pages: number, pml4?: number): void {
    if (!(pages > 0)) return;
    const first = Math.floor(base / 4096);
    if (pages <= this.mask) {
      for (let p = 0; p < pages; p++) this.invalidate((first + p) * 4096, pml4);
      return;
    }
    const end = first + pages;
    for (let i = 0; i <= this.mask; i++) {
      const v = this.vpn[i] as number;
      if (v >= first && v < end && (pml4 === undefined || this.root[i] === pml4)) this.vpn[i] = -1;
    }
  }

  /** The number of entries (a power of two). */
  get entries(): number {
    return this.mask + 1;
  }
}
