/**
 * A bump allocator of byte ranges in a shared memory, computed identically on every thread: each side
 * runs the same sequence of `take` calls and gets the same offsets, so no table has to be shipped.
 */
export class Layout {
  private next: number;
  constructor(start = 0) {
    this.next = start;
  }
  /** `bytes` bytes aligned to `align` (default: a 64-byte cache line, so hot words never share one). */
  take(bytes: number, align = 64): number {
    const at = Math.ceil(this.next / align) * align;
    this.next = at + bytes;
    return at;
  }
  /** Bytes used so far, rounded up to 64. */
  get size(): number {
    return Math.ceil(this.next / 64) * 64;
  }
}
