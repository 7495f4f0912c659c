import { ThreadsError } from "../errors.js";
import type { AtomicMemory } from "../memory/atomic-memory.js";
import { DEFAULT_SPIN, spinWhile } from "./spin.js";

/** Bytes a {@link Semaphore} occupies: the count. */
export const SEMAPHORE_BYTES = 4;

/**
 * A counting semaphore in one word. `acquire` decrements with compare-exchange when the count is
 * positive and otherwise sleeps while it is 0; `release` increments, then wakes one sleeper. A
 * release between a waiter's read of 0 and its sleep changes the word, so the sleep returns at once:
 * no lost wake-ups.
 *
 * Fairness: none promised (a thread arriving while another is being woken may take the unit first).
 */
export class Semaphore {
  constructor(
    readonly mem: AtomicMemory,
    readonly offset: number,
    readonly spin = DEFAULT_SPIN,
  ) {}

  /** Sets the initial count (before any thread uses the semaphore). */
  init(count: number): this {
    if (!Number.isInteger(count) || count < 0)
      throw new ThreadsError("BAD_ARGUMENT", `semaphore count must be a non-negative integer, not ${count}`);
    this.mem.store32(this.offset, count);
    return this;
  }

  /** Takes one unit if there is one; never blocks. */
  tryAcquire(): boolean {
    for (let c = this.mem.load32(this.offset); c > 0; ) {
      const seen = this.mem.compareExchange32(this.offset, c, c - 1);
      if (seen === c) return true;
      c = seen;
    }
    return false;
  }

  /** Takes one unit, blocking while there is none (workers only). */
  acquire(): void {
    while (!this.tryAcquire()) {
      if (!spinWhile(this.mem, this.offset, 0, this.spin)) this.mem.wait32(this.offset, 0);
    }
  }

  /** {@link Semaphore.acquire} for event-loop threads. */
  async acquireAsync(): Promise<void> {
    while (!this.tryAcquire()) {
      if (!spinWhile(this.mem, this.offset, 0, this.spin)) await this.mem.waitAsync32(this.offset, 0);
    }
  }

  /** Returns `n` units and wakes up to `n` sleepers. */
  release(n = 1): void {
    this.mem.add32(this.offset, n);
    this.mem.notify32(this.offset, n);
  }

  /** The current count (a snapshot). */
  value(): number {
    return this.mem.load32(this.offset);
  }
}
