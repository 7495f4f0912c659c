/**
 * A radix-2 complex FFT of one line, on an interleaved (re, im) scratch array. NPB FT's result is a
 * DFT, so any exact algorithm verifies; this one is iterative Cooley-Tukey with a bit-reversal table
 * and twiddles computed directly from cos/sin (no recurrence, so no accumulated rounding).
 */
export class LineFft {
  private readonly rev: Int32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  /** The line being transformed: 2n doubles, interleaved. */
  readonly line: Float64Array;

  constructor(readonly n: number) {
    if (n < 1 || (n & (n - 1)) !== 0) throw new Error(`FFT length ${n} is not a power of two`);
    this.rev = new Int32Array(n);
    const bits = Math.log2(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cos = new Float64Array(n / 2);
    this.sin = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / n);
      this.sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    this.line = new Float64Array(2 * n);
  }

  /** Copies the line of `n` complex elements at `src[off + i·stride]` (complex index) in, bit-reversed. */
  load(src: Float64Array, off: number, stride: number): void {
    const { rev, line, n } = this;
    for (let i = 0; i < n; i++) {
      const s = 2 * (off + i * stride);
      const d = 2 * (rev[i] as number);
      line[d] = src[s] as number;
      line[d + 1] = src[s + 1] as number;
    }
  }

  /** Copies the transformed line back out. */
  store(dst: Float64Array, off: number, stride: number): void {
    const { line, n } = this;
    for (let i = 0; i < n; i++) {
      const d = 2 * (off + i * stride);
      dst[d] = line[2 * i] as number;
      dst[d + 1] = line[2 * i + 1] as number;
    }
  }

  /** Transforms the loaded line: sign -1 is exp(-2πi·jk/n) (forward), +1 the inverse (unscaled). */
  run(sign: 1 | -1): void {
    const { line, n, cos, sin } = this;
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1;
      const step = n / len;
      for (let start = 0; start < n; start += len) {
        for (let k = 0; k < half; k++) {
          const wr = cos[k * step] as number;
          const wi = sign * (sin[k * step] as number);
          const a = 2 * (start + k);
          const b = a + 2 * half;
          const br = line[b] as number;
          const bi = line[b + 1] as number;
          const tr = wr * br - wi * bi;
          const ti = wr * bi + wi * br;
          const ar = line[a] as number;
          const ai = line[a + 1] as number;
          line[a] = ar + tr;
          line[a + 1] = ai + ti;
          line[b] = ar - tr;
          line[b + 1] = ai - ti;
        }
      }
    }
  }
}
