/**
 * x86-64 page-table entries as two little-endian u32 words (low word at the lower address), so that
 * walks read them without BigInt. Bits of the low word are the hardware's; the no-execute bit is
 * bit 63, i.e. bit 31 of the high word; address bits 32-51 are the high word's low 20 bits.
 */

/** Entries per table. */
export const PT_ENTRIES = 512;
/** Present. */
export const PTE_PRESENT = 1 << 0;
/** Writable. */
export const PTE_WRITE = 1 << 1;
/** User-accessible. */
export const PTE_USER = 1 << 2;
/** Write-through. */
export const PTE_PWT = 1 << 3;
/** Cache disable. */
export const PTE_PCD = 1 << 4;
/** Accessed. */
export const PTE_ACCESSED = 1 << 5;
/** Dirty. */
export const PTE_DIRTY = 1 << 6;
/** Page size: a large-page leaf in a page directory (or PDPT). */
export const PTE_PS = 1 << 7;
/** Global. */
export const PTE_GLOBAL = 1 << 8;
/** No-execute, in the high word. */
export const PTE_HI_NX = 0x8000_0000;
/** Address bits 12-31 of the low word. */
export const PTE_LO_ADDR = 0xffff_f000;
/** Address bits 32-51 of the high word. */
export const PTE_HI_ADDR = 0x000f_ffff;
/** Address bits 21-31 of a 2 MiB leaf's low word. */
export const PTE_LO_ADDR_2M = 0xffe0_0000;
/** 2^32. */
export const TWO_32 = 4294967296;

/** Page flags of a mapping, as requested by the mapper (read is implied: present means readable). */
export interface MapFlags {
  readonly write?: boolean;
  readonly execute?: boolean;
  readonly user?: boolean;
}

/** Encoded map flags (the low byte): write, execute, user. */
export const MAPF_WRITE = 1;
/** Executable (no NX bit). */
export const MAPF_EXECUTE = 2;
/** User-accessible. */
export const MAPF_USER = 4;

/** Encodes map flags. */
export function encodeMapFlags(f: MapFlags): number {
  return (f.write ? MAPF_WRITE : 0) | (f.execute ? MAPF_EXECUTE : 0) | (f.user ? MAPF_USER : 0);
}

/** Decodes map flags. */
export function decodeMapFlags(bits: number): Required<MapFlags> {
  return {
    write: (bits & MAPF_WRITE) !== 0,
    execute: (bits & MAPF_EXECUTE) !== 0,
    user: (bits & MAPF_USER) !== 0,
  };
}

/** Writes a leaf entry at u32 index `i` for physical address `phys` with encoded map flags. */
export function writeLeaf(u32: Uint32Array, i: number, phys: number, mapf: number, large: boolean): void {
  const lo = phys % TWO_32;
  const hi = (phys - lo) / TWO_32;
  let bits = PTE_PRESENT;
  if ((mapf & MAPF_WRITE) !== 0) bits |= PTE_WRITE;
  if ((mapf & MAPF_USER) !== 0) bits |= PTE_USER;
  if (large) bits |= PTE_PS;
  u32[i] = (lo | bits) >>> 0;
  u32[i + 1] = ((hi & PTE_HI_ADDR) | ((mapf & MAPF_EXECUTE) !== 0 ? 0 : PTE_HI_NX)) >>> 0;
}

/**
 * Writes a table entry pointing to the next-level table at `phys`. Intermediate entries are
 * permissive (present, writable, user, executable) so that the leaf alone decides, as Barrelfish's
 * paging code does.
 */
export function writeTable(u32: Uint32Array, i: number, phys: number): void {
  const lo = phys % TWO_32;
  u32[i] = (lo | PTE_PRESENT | PTE_WRITE | PTE_USER) >>> 0;
  u32[i + 1] = ((phys - lo) / TWO_32) & PTE_HI_ADDR;
}
