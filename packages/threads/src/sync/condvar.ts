import type { AtomicMemory } from "../memory/atomic-memory.js";
import type { Mutex } from "./mutex.js";
import { DEFAULT_SPIN, spinWhile } from "./spin.js";

/** Bytes a {@link CondVar} occupies: one sequence word. */
export const CONDVAR_BYTES = 4;

/**
 * A condition variable as a sequence number. `wait` reads the sequence while it still holds the
 * mutex, releases the mutex and sleeps only while the sequence is unchanged; `signal`/`broadcast`
 * bump the sequence before notifying. A signal that happens between the unlock and the sleep changes
 * the word, so the sleep returns at once: no lost wake-ups.
 *
 * Fairness: signal wakes one blocked waiter, not necessarily the oldest; wake-ups may be spurious
 * (a waiter may return without a signal aimed at it), so callers re-check their predicate in a loop.
 */
export class CondVar {
  constructor(
    readonly mem: AtomicMemory,
    readonly offset: number,
    readonly spin = DEFAULT_SPIN,
  ) {}

  /** Releases `mutex`, waits for a signal (or `timeoutMs`), re-acquires `mutex`. */
  wait(mutex: Mutex, timeoutMs = Number.POSITIVE_INFINITY): void {
    const seq = this.mem.load32(this.offset);
    mutex.unlock();
    if (!spinWhile(this.mem, this.offset, seq, this.spin)) this.mem.wait32(this.offset, seq, timeoutMs);
    mutex.lock();
  }

  /** {@link CondVar.wait} for event-loop threads. */
  async waitAsync(mutex: Mutex, timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    const seq = this.mem.load32(this.offset);
    mutex.unlock();
    if (!spinWhile(this.mem, this.offset, seq, this.spin))
      await this.mem.waitAsync32(this.offset, seq, timeoutMs);
    await mutex.lockAsync();
  }

  /** Wakes one waiter. */
  signal(): void {
    this.mem.add32(this.offset, 1);
    this.mem.notify32(this.offset, 1);
  }

  /** Wakes every waiter. */
  broadcast(): void {
    this.mem.add32(this.offset, 1);
    this.mem.notify32(this.offset);
  }
}
