import { ThreadsError } from "../errors.js";
import type { AtomicMemory } from "../memory/atomic-memory.js";
import { DEFAULT_SPIN, spinWhile } from "./spin.js";

/** Bytes a {@link RwLock} occupies: one state word. */
export const RWLOCK_BYTES = 4;

// The state word: bits 0-14 readers holding, bits 15-29 writers waiting, bit 30 a writer holds.
const READER = 1;
const READERS = 0x7fff;
const WAITING_WRITER = 1 << 15;
const WAITERS = 0x7fff << 15;
const WRITER = 1 << 30;

/**
 * A writer-preferring read-write lock in one word. A reader enters only while no writer holds or
 * waits; a writer first registers as waiting (which stops new readers), then takes the lock when the
 * readers have drained. Every blocked thread sleeps on the state word with the value it saw, so any
 * change wakes it to re-check; releases that can unblock someone notify all sleepers.
 *
 * Fairness: writers cannot starve (new readers queue behind a waiting writer); readers can starve
 * while writers keep arriving. At most 32767 readers and 32767 waiting writers.
 */
export class RwLock {
  constructor(
    readonly mem: AtomicMemory,
    readonly offset: number,
    readonly spin = DEFAULT_SPIN,
  ) {}

  private tryRead(s: number): number {
    if ((s & (WRITER | WAITERS)) !== 0) return s;
    return this.mem.compareExchange32(this.offset, s, s + READER);
  }

  /** Takes a shared hold if no writer holds or waits; never blocks. */
  tryReadLock(): boolean {
    for (;;) {
      const s = this.mem.load32(this.offset);
      if ((s & (WRITER | WAITERS)) !== 0) return false;
      if (this.tryRead(s) === s) return true;
    }
  }

  /** Takes a shared hold. */
  readLock(): void {
    for (;;) {
      const s = this.mem.load32(this.offset);
      if ((s & (WRITER | WAITERS)) === 0) {
        if (this.tryRead(s) === s) return;
        continue;
      }
      if (!spinWhile(this.mem, this.offset, s, this.spin)) this.mem.wait32(this.offset, s);
    }
  }

  /** {@link RwLock.readLock} for event-loop threads. */
  async readLockAsync(): Promise<void> {
    for (;;) {
      const s = this.mem.load32(this.offset);
      if ((s & (WRITER | WAITERS)) === 0) {
        if (this.tryRead(s) === s) return;
        continue;
      }
      if (!spinWhile(this.mem, this.offset, s, this.spin)) await this.mem.waitAsync32(this.offset, s);
    }
  }

  /** Drops a shared hold. */
  readUnlock(): void {
    const was = this.mem.sub32(this.offset, READER);
    if ((was & READERS) === 0) {
      this.mem.add32(this.offset, READER);
      throw new ThreadsError("NOT_OWNER", "readUnlock of a read-write lock with no readers");
    }
    // The last reader out lets a waiting writer in.
    if ((was & READERS) === 1 && (was & WAITERS) !== 0) this.mem.notify32(this.offset);
  }

  /** Takes the exclusive hold. */
  writeLock(): void {
    this.mem.add32(this.offset, WAITING_WRITER); // from here on no new reader enters
    for (;;) {
      const s = this.mem.load32(this.offset);
      if ((s & (WRITER | READERS)) === 0) {
        // Invariant: WAITING_WRITER → WRITER in one step, so the writer never stops blocking readers.
        if (this.mem.compareExchange32(this.offset, s, s - WAITING_WRITER + WRITER) === s) return;
        continue;
      }
      if (!spinWhile(this.mem, this.offset, s, this.spin)) this.mem.wait32(this.offset, s);
    }
  }

  /** {@link RwLock.writeLock} for event-loop threads. */
  async writeLockAsync(): Promise<void> {
    this.mem.add32(this.offset, WAITING_WRITER);
    for (;;) {
      const s = this.mem.load32(this.offset);
      if ((s & (WRITER | READERS)) === 0) {
        if (this.mem.compareExchange32(this.offset, s, s - WAITING_WRITER + WRITER) === s) return;
        continue;
      }
      if (!spinWhile(this.mem, this.offset, s, this.spin)) await this.mem.waitAsync32(this.offset, s);
    }
  }

  /** Drops the exclusive hold and wakes everyone blocked (readers and writers re-check). */
  writeUnlock(): void {
    const was = this.mem.sub32(this.offset, WRITER);
    if ((was & WRITER) === 0) {
      this.mem.add32(this.offset, WRITER);
      throw new ThreadsError("NOT_OWNER", "writeUnlock of a read-write lock no writer holds");
    }
    this.mem.notify32(this.offset);
  }
}
