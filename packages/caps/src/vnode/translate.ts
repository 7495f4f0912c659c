/**
 * The page walk: virtual to physical through 4-level x86-64 page tables in physical memory.
 * A hot path (every user memory access on a TLB miss): Uint32Array reads, integer arithmetic on
 * doubles below 2^53, no BigInt, no allocation; a fault is a negative number, decoded off the path.
 *
 * Permissions follow the hardware: writable and user are the AND of every level's bits, no-execute
 * the OR.
 */
import {
  PTE_HI_ADDR,
  PTE_LO_ADDR,
  PTE_LO_ADDR_2M,
  PTE_PRESENT,
  PTE_PS,
  PTE_USER,
  PTE_WRITE,
  TWO_32,
} from "./pte.js";

/** Access kinds, OR-ed: a read is 0. */
export const ACCESS_READ = 0;
/** A write. */
export const ACCESS_WRITE = 2;
/** An access from user mode. */
export const ACCESS_USER = 4;
/** An instruction fetch. */
export const ACCESS_EXECUTE = 8;

/** Fault reasons. */
export const FAULT_NOT_PRESENT = 1;
/** A write to a page not writable at some level. */
export const FAULT_WRITE = 2;
/** A user access to a supervisor page. */
export const FAULT_USER = 3;
/** An instruction fetch from a no-execute page. */
export const FAULT_EXECUTE = 4;
/** The address is not a canonical 48-bit user address (or not a number in range). */
export const FAULT_NONCANONICAL = 5;

/** A page fault, decoded. */
export interface PageFault {
  readonly reason: "NOT_PRESENT" | "WRITE" | "USER" | "EXECUTE" | "NONCANONICAL";
  /** The level whose entry faulted (4 = PML4 ... 1 = page table); 0 for NONCANONICAL. */
  readonly level: number;
}

const REASONS = ["", "NOT_PRESENT", "WRITE", "USER", "EXECUTE", "NONCANONICAL"] as const;

/** True if a {@link translate} result is a fault. */
export function isFault(result: number): boolean {
  return result < 0;
}

/** Decodes a fault returned by {@link translate}. */
export function decodeFault(result: number): PageFault {
  const code = -result;
  return { reason: (REASONS[code >> 3] ?? "NONCANONICAL") as PageFault["reason"], level: code & 7 };
}

const VA_LIMIT = 2 ** 48;

/**
 * What the last successful walk allowed, as ACCESS_* bits (write, user, execute): read by the TLB to
 * fill an entry without walking again. One typed-array store per walk; no allocation.
 */
export const WALK_ALLOWED = new Uint8Array(1);

/**
 * Translates `vaddr` through the page tables rooted at the PML4 at physical address `pml4` (the
 * value of CR3), for an access of kind `access` (ACCESS_* bits). Returns the physical address, or a
 * negative fault code (see {@link decodeFault}).
 */
export function translate(u32: Uint32Array, pml4: number, vaddr: number, access: number): number {
  if (!(vaddr >= 0 && vaddr < VA_LIMIT)) return -((FAULT_NONCANONICAL << 3) | 0);
  const lo = vaddr >>> 0;
  const hi = (vaddr - lo) / TWO_32;
  // Level 4: bits 39-47 of the address are bits 7-15 of the high word.
  let i = pml4 / 4 + (((hi >>> 7) & 511) << 1);
  let e = u32[i] as number;
  if ((e & PTE_PRESENT) === 0) return -((FAULT_NOT_PRESENT << 3) | 4);
  let h = u32[i + 1] as number;
  let perm = e;
  let nx = h;
  // Level 3: bits 30-38 = high word bits 0-6 and low word bits 30-31.
  i = (e >>> 12) * 1024 + (h & PTE_HI_ADDR) * 1073741824 + ((((hi & 127) << 2) | (lo >>> 30)) << 1);
  e = u32[i] as number;
  if ((e & PTE_PRESENT) === 0) return -((FAULT_NOT_PRESENT << 3) | 3);
  h = u32[i + 1] as number;
  perm &= e;
  nx |= h;
  // Level 2: bits 21-29.
  i = (e >>> 12) * 1024 + (h & PTE_HI_ADDR) * 1073741824 + (((lo >>> 21) & 511) << 1);
  e = u32[i] as number;
  if ((e & PTE_PRESENT) === 0) return -((FAULT_NOT_PRESENT << 3) | 2);
  h = u32[i + 1] as number;
  perm &= e;
  nx |= h;
  let phys: number;
  let level = 2;
  if ((e & PTE_PS) !== 0) {
    phys = (e & PTE_LO_ADDR_2M) >>> 0;
    phys += (h & PTE_HI_ADDR) * TWO_32 + (lo & 0x1f_ffff);
  } else {
    // Level 1: bits 12-20.
    i = (e >>> 12) * 1024 + (h & PTE_HI_ADDR) * 1073741824 + (((lo >>> 12) & 511) << 1);
    e = u32[i] as number;
    if ((e & PTE_PRESENT) === 0) return -((FAULT_NOT_PRESENT << 3) | 1);
    h = u32[i + 1] as number;
    perm &= e;
    nx |= h;
    level = 1;
    phys = ((e & PTE_LO_ADDR) >>> 0) + (h & PTE_HI_ADDR) * TWO_32 + (lo & 0xfff);
  }
  if ((access & ACCESS_USER) !== 0 && (perm & PTE_USER) === 0) return -((FAULT_USER << 3) | level);
  if ((access & ACCESS_WRITE) !== 0 && (perm & PTE_WRITE) === 0) return -((FAULT_WRITE << 3) | level);
  const noExec = (nx & 0x8000_0000) !== 0;
  if ((access & ACCESS_EXECUTE) !== 0 && noExec) return -((FAULT_EXECUTE << 3) | level);
  // PTE_WRITE and PTE_USER are the same bits as ACCESS_WRITE and ACCESS_USER.
  WALK_ALLOWED[0] = (perm & (PTE_WRITE | PTE_USER)) | (noExec ? 0 : ACCESS_EXECUTE);
  return phys;
}
