import { ThreadsError } from "../errors.js";
import type { AtomicMemory } from "../memory/atomic-memory.js";
import { DEFAULT_SPIN, spinWhile } from "./spin.js";

/** Bytes a {@link Barrier} occupies: arrival count and generation, each on its own cache line. */
export const BARRIER_BYTES = 128;

/**
 * A centralised generation barrier for `parties` threads. An arriving thread reads the generation
 * first, then increments the arrival count; the last to arrive resets the count and bumps the
 * generation, waking all; the others spin briefly and then sleep while the generation is the one they
 * read. Because each waiter compares against the generation it read before arriving, a fast thread
 * that races into the next round cannot release or be released by the previous one: generations
 * never mix.
 *
 * Fairness: not applicable (everyone leaves together); `arrive` returns true in exactly one thread per
 * round (the last arriver), which callers use for `single`-style work.
 */
export class Barrier {
  private readonly count: number;
  private readonly gen: number;
  constructor(
    readonly mem: AtomicMemory,
    readonly offset: number,
    readonly parties: number,
    readonly spin = DEFAULT_SPIN,
  ) {
    if (!Number.isInteger(parties) || parties < 1)
      throw new ThreadsError("BAD_ARGUMENT", `barrier parties must be a positive integer, not ${parties}`);
    this.count = offset;
    this.gen = offset + 64;
  }

  /** Arrives and waits for the others (workers only); true in the round's last arriver. */
  arrive(): boolean {
    const g = this.mem.load32(this.gen);
    if (this.mem.add32(this.count, 1) === this.parties - 1) {
      this.release();
      return true;
    }
    while (this.mem.load32(this.gen) === g) {
      if (!spinWhile(this.mem, this.gen, g, this.spin)) this.mem.wait32(this.gen, g);
    }
    return false;
  }

  /** {@link Barrier.arrive} for event-loop threads. */
  async arriveAsync(): Promise<boolean> {
    const g = this.mem.load32(this.gen);
    if (this.mem.add32(this.count, 1) === this.parties - 1) {
      this.release();
      return true;
    }
    while (this.mem.load32(this.gen) === g) {
      if (!spinWhile(this.mem, this.gen, g, this.spin)) await this.mem.waitAsync32(this.gen, g);
    }
    return false;
  }

  /** The number of completed rounds (wraps at 2³²). */
  generation(): number {
    return this.mem.load32(this.gen);
  }

  private release(): void {
    // Reset before bumping: a released thread may arrive again at once and must find count 0.
    this.mem.store32(this.count, 0);
    this.mem.add32(this.gen, 1);
    this.mem.notify32(this.gen);
  }
}
