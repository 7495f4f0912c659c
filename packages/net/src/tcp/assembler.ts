/**
 * Out-of-order reassembly bookkeeping: which byte ranges past the receive point (`RCV.NXT`) are already
 * in the receive buffer's free space. The bytes themselves live in the ring (`RingBuffer.writeAt`); this
 * keeps only sorted, disjoint, non-adjacent `[start, end)` ranges relative to `RCV.NXT`, at most
 * `maxRanges` of them (a bound on memory and on work per segment; a segment that would need more is
 * dropped and the peer retransmits it).
 */
export class Assembler {
  private starts: number[] = [];
  private ends: number[] = [];

  constructor(readonly maxRanges = 32) {}

  /** Ranges held (for tests and stats). */
  get ranges(): ReadonlyArray<readonly [number, number]> {
    return this.starts.map((s, i) => [s, this.ends[i] as number] as const);
  }

  /** True when nothing is held out of order. */
  get isEmpty(): boolean {
    return this.starts.length === 0;
  }

  /**
   * Record `[offset, offset+len)` as present. Returns how many bytes from offset 0 are now contiguous
   * (and forgets them: the caller advances `RCV.NXT` by that much), or -1 when the range table is full.
   */
  add(offset: number, len: number): number {
    if (len > 0) {
      let start = offset;
      let end = offset + len;
      // First range that ends at or after our start (may merge), and the first that starts after our end.
      let i = 0;
      while (i < this.starts.length && (this.ends[i] as number) < start) i++;
      let j = i;
      while (j < this.starts.length && (this.starts[j] as number) <= end) {
        start = Math.min(start, this.starts[j] as number);
        end = Math.max(end, this.ends[j] as number);
        j++;
      }
      if (j === i && start !== 0 && this.starts.length >= this.maxRanges) return -1;
      this.starts.splice(i, j - i, start);
      this.ends.splice(i, j - i, end);
    }
    if (this.starts.length === 0 || this.starts[0] !== 0) return 0;
    const n = this.ends[0] as number;
    this.starts.shift();
    this.ends.shift();
    for (let k = 0; k < this.starts.length; k++) {
      this.starts[k] = (this.starts[k] as number) - n;
      this.ends[k] = (this.ends[k] as number) - n;
    }
    return n;
  }

  /** Forget everything (connection reset). */
  clear(): void {
    this.starts = [];
    this.ends = [];
  }
}
