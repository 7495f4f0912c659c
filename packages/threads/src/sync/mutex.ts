import { ThreadsError } from "../errors.js";
import type { AtomicMemory } from "../memory/atomic-memory.js";
import { DEFAULT_SPIN, spinWhile } from "./spin.js";

/** Bytes a {@link Mutex} occupies (one word; keep it alone on its cache line when it is hot). */
export const MUTEX_BYTES = 4;

// The word's states (Drepper, "Futexes are tricky", mutex 2).
const UNLOCKED = 0;
const LOCKED = 1;
/** Locked and some thread may be blocked in wait: the unlocker must notify. */
const CONTENDED = 2;

/**
 * A mutex in one shared word. Uncontended lock and unlock are one compare-exchange and one
 * subtract; a contended locker spins briefly, then marks the word CONTENDED and blocks on it.
 *
 * Fairness: none promised. A releasing or newly arriving thread may take the lock before a woken
 * waiter does (barging), as with futex mutexes; that keeps throughput up but lets one thread win
 * repeatedly. Use {@link TicketMutex} when FIFO order matters.
 */
export class Mutex {
  constructor(
    readonly mem: AtomicMemory,
    readonly offset: number,
    readonly spin = DEFAULT_SPIN,
  ) {}

  /** Takes the lock if it is free; never blocks. */
  tryLock(): boolean {
    // Invariant: only a 0 → 1 transition grants ownership.
    return this.mem.compareExchange32(this.offset, UNLOCKED, LOCKED) === UNLOCKED;
  }

  /** Takes the lock, blocking the thread (workers only). */
  lock(): void {
    let c = this.mem.compareExchange32(this.offset, UNLOCKED, LOCKED);
    if (c === UNLOCKED) return; // the fast path: one CAS
    c = this.spinAcquire(c);
    if (c === UNLOCKED) return;
    // Announce a waiter before sleeping: exchange to CONTENDED; if it was free we now own it (as
    // CONTENDED, which costs the next unlock a harmless notify).
    for (
      c = this.mem.exchange32(this.offset, CONTENDED);
      c !== UNLOCKED;
      c = this.mem.exchange32(this.offset, CONTENDED)
    ) {
      this.mem.wait32(this.offset, CONTENDED);
    }
  }

  /** Takes the lock without blocking the event loop (for the main thread or any async caller). */
  async lockAsync(): Promise<void> {
    let c = this.mem.compareExchange32(this.offset, UNLOCKED, LOCKED);
    if (c === UNLOCKED) return;
    c = this.spinAcquire(c);
    if (c === UNLOCKED) return;
    for (
      c = this.mem.exchange32(this.offset, CONTENDED);
      c !== UNLOCKED;
      c = this.mem.exchange32(this.offset, CONTENDED)
    ) {
      await this.mem.waitAsync32(this.offset, CONTENDED);
    }
  }

  /** Releases the lock; wakes one waiter if any may be blocked. */
  unlock(): void {
    const was = this.mem.sub32(this.offset, 1);
    if (was === LOCKED) return; // nobody waited
    if (was === UNLOCKED) {
      this.mem.add32(this.offset, 1);
      throw new ThreadsError("NOT_OWNER", "unlock of a mutex that is not locked");
    }
    // was CONTENDED: hand the word back to UNLOCKED and wake one sleeper, which re-marks CONTENDED.
    this.mem.store32(this.offset, UNLOCKED);
    this.mem.notify32(this.offset, 1);
  }

  /** Spins a bounded number of times for the holder to release; returns the last value seen (0: we own it). */
  private spinAcquire(c: number): number {
    let seen = c;
    // Once the word is CONTENDED others already sleep: join them rather than barge past.
    for (let i = 0; i < this.spin && seen !== CONTENDED; i++) {
      seen = this.mem.load32(this.offset);
      if (seen === UNLOCKED) {
        seen = this.mem.compareExchange32(this.offset, UNLOCKED, LOCKED);
        if (seen === UNLOCKED) return UNLOCKED;
      }
    }
    return seen;
  }
}

/** Bytes a {@link TicketMutex} occupies: two words (next ticket, now serving). */
export const TICKET_MUTEX_BYTES = 8;

/**
 * A FIFO ticket lock: lock takes a ticket (one atomic add) and waits until "now serving" reaches it.
 * Fairness: strict arrival order. The price: every unlock wakes all blocked waiters (each waits on the
 * shared serving word), so it is for short queues.
 */
export class TicketMutex {
  constructor(
    readonly mem: AtomicMemory,
    readonly offset: number,
    readonly spin = DEFAULT_SPIN,
  ) {}

  lock(): void {
    const ticket = this.mem.add32(this.offset, 1);
    const serving = this.offset + 4;
    for (let now = this.mem.load32(serving); now !== ticket; now = this.mem.load32(serving)) {
      if (!spinWhile(this.mem, serving, now, this.spin)) this.mem.wait32(serving, now);
    }
  }

  async lockAsync(): Promise<void> {
    const ticket = this.mem.add32(this.offset, 1);
    const serving = this.offset + 4;
    for (let now = this.mem.load32(serving); now !== ticket; now = this.mem.load32(serving)) {
      if (!spinWhile(this.mem, serving, now, this.spin)) await this.mem.waitAsync32(serving, now);
    }
  }

  unlock(): void {
    // Invariant: only the holder advances serving, so a plain add is a hand-over to the next ticket.
    this.mem.add32(this.offset + 4, 1);
    this.mem.notify32(this.offset + 4);
  }
}
