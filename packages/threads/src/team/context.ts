import type { AtomicMemory } from "../memory/atomic-memory.js";
import { Barrier } from "../sync/barrier.js";
import { CONTROL } from "./control.js";
import type { Par } from "./par.js";

/** The runtime's {@link Par}: team operations over the team's control block through {@link AtomicMemory}. */
export class TeamContext implements Par {
  private readonly bar: Barrier;
  private reductions = 0;
  private loops = 0;

  constructor(
    readonly control: AtomicMemory,
    readonly tid: number,
    readonly nthreads: number,
  ) {
    this.bar = new Barrier(control, CONTROL.barrier, nthreads);
  }

  barrier(): void {
    this.bar.arrive();
  }

  sum(part: number): number {
    const base = CONTROL.slots + (this.reductions++ & 1) * 8 * 64;
    this.control.setFloat64(base + 8 * this.tid, part);
    this.bar.arrive(); // the barrier's atomics order the plain stores before the loads below
    let s = 0;
    for (let t = 0; t < this.nthreads; t++) s += this.control.getFloat64(base + 8 * t);
    return s;
  }

  dynamic(lo: number, hi: number, chunk: number, body: (from: number, to: number) => void): void {
    const k = this.loops++;
    const counter = CONTROL.counters + (k & 1) * 64;
    // Loop k+1's counter was last used by loop k-1, which every member left before the barrier that
    // ended it: member 0 may clear it now, and loop k+1 starts only after this loop's barrier.
    if (this.tid === 0) this.control.store32(CONTROL.counters + ((k + 1) & 1) * 64, 0);
    for (;;) {
      const from = lo + this.control.add32(counter, chunk);
      if (from >= hi) break;
      body(from, Math.min(hi, from + chunk));
    }
    this.bar.arrive();
  }
}
