/**
 * Frames from this core's RAM: the range of physical memory the machine handed the core at boot. A
 * first-fit allocator over a sorted free list with coalescing, in whole 4 KiB pages, aligned to 64
 * bytes at least (a urpc line). What it hands out is a region of physical memory the caller owns until
 * it frees it (a binding's channel, a domain's frame).
 */
import { KernelError } from "../errors.js";

/** The page size. */
export const PAGE_BYTES = 4096;

/** A range of physical memory. */
export interface FrameRange {
  readonly base: number;
  readonly bytes: number;
}

/** The free RAM of one core. */
export class FrameAllocator {
  readonly base: number;
  readonly bytes: number;
  /** Free ranges, sorted by base, never adjacent (coalesced). */
  #free: { base: number; bytes: number }[];
  #used = 0;

  constructor(base: number, bytes: number) {
    if (base % PAGE_BYTES !== 0 || bytes % PAGE_BYTES !== 0 || bytes <= 0)
      throw new KernelError("BAD_FRAME", `core RAM must be whole pages, got ${bytes} bytes at ${base}`);
    this.base = base;
    this.bytes = bytes;
    this.#free = [{ base, bytes }];
  }

  /** Bytes handed out now. */
  get used(): number {
    return this.#used;
  }

  /** Allocates `bytes` (rounded up to whole pages). */
  alloc(bytes: number): FrameRange {
    if (!Number.isInteger(bytes) || bytes <= 0)
      throw new KernelError("BAD_FRAME", `a frame must be a positive number of bytes, got ${bytes}`);
    const size = Math.ceil(bytes / PAGE_BYTES) * PAGE_BYTES;
    const i = this.#free.findIndex((r) => r.bytes >= size);
    const r = this.#free[i];
    if (r === undefined)
      throw new KernelError(
        "OUT_OF_MEMORY",
        `core RAM has no free range of ${size} bytes (${this.bytes - this.#used} bytes free in ${this.#free.length} ranges)`,
      );
    const out = { base: r.base, bytes: size };
    if (r.bytes === size) this.#free.splice(i, 1);
    else this.#free[i] = { base: r.base + size, bytes: r.bytes - size };
    this.#used += size;
    return out;
  }

  /** Returns a range alloc handed out. */
  free(range: FrameRange): void {
    const { base, bytes } = range;
    if (base < this.base || base + bytes > this.base + this.bytes || base % PAGE_BYTES !== 0)
      throw new KernelError("BAD_FRAME", `${bytes} bytes at ${base} are not this core's RAM`);
    let i = 0;
    while (i < this.#free.length && (this.#free[i] as { base: number }).base < base) i++;
    const prev = this.#free[i - 1];
    const next = this.#free[i];
    if (
      (prev !== undefined && prev.base + prev.bytes > base) ||
      (next !== undefined && base + bytes > next.base)
    )
      throw new KernelError("BAD_FRAME", `${bytes} bytes at ${base} are (partly) free already`);
    this.#free.splice(i, 0, { base, bytes });
    // Coalesce with the neighbours.
    const cur = this.#free[i] as { base: number; bytes: number };
    if (next !== undefined && cur.base + cur.bytes === next.base) {
      cur.bytes += next.bytes;
      this.#free.splice(i + 1, 1);
    }
    if (prev !== undefined && prev.base + prev.bytes === cur.base) {
      prev.bytes += cur.bytes;
      this.#free.splice(i, 1);
    }
    this.#used -= bytes;
  }
}
