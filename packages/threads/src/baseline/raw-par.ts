import type { Par } from "../team/par.js";

/** Bytes of the baseline's control block: barrier words, 2 × 64 reduction slots, 2 loop counters. */
export const RAW_CONTROL_BYTES = 2048;

/**
 * The baseline's team operations, written straight on a SharedArrayBuffer with Atomics, as a program
 * without shoal would (the paper's Linux + GOMP column): a generation barrier that spins briefly and
 * then sleeps in Atomics.wait, reductions through a slot array, a shared counter for dynamic loops.
 * No AtomicMemory, no bounds checks.
 */
export class RawPar implements Par {
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private reductions = 0;
  private loops = 0;

  constructor(
    buffer: SharedArrayBuffer,
    readonly tid: number,
    readonly nthreads: number,
  ) {
    this.i32 = new Int32Array(buffer, 0, 64);
    this.f64 = new Float64Array(buffer, 256, 128);
  }

  barrier(): void {
    const i = this.i32;
    const g = Atomics.load(i, 16);
    if (Atomics.add(i, 0, 1) === this.nthreads - 1) {
      Atomics.store(i, 0, 0);
      Atomics.add(i, 16, 1);
      Atomics.notify(i, 16);
      return;
    }
    for (let s = 0; s < 100 && Atomics.load(i, 16) === g; s++);
    while (Atomics.load(i, 16) === g) Atomics.wait(i, 16, g);
  }

  sum(part: number): number {
    const base = (this.reductions++ & 1) * 64;
    this.f64[base + this.tid] = part;
    this.barrier();
    let s = 0;
    for (let t = 0; t < this.nthreads; t++) s += this.f64[base + t] as number;
    return s;
  }

  dynamic(lo: number, hi: number, chunk: number, body: (from: number, to: number) => void): void {
    const k = this.loops++;
    const counter = 32 + (k & 1) * 8;
    if (this.tid === 0) Atomics.store(this.i32, 32 + ((k + 1) & 1) * 8, 0);
    for (;;) {
      const from = lo + Atomics.add(this.i32, counter, chunk);
      if (from >= hi) break;
      body(from, Math.min(hi, from + chunk));
    }
    this.barrier();
  }
}
