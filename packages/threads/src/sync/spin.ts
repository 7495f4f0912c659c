import type { AtomicMemory } from "../memory/atomic-memory.js";

/**
 * How many times a primitive re-reads a contended word before it blocks. Small on purpose: these
 * machines have two CPUs shared by many processes, so a waiter that spins long steals the CPU its
 * holder needs. ~100 loads is about a microsecond, less than one wake-up through the kernel (~40 µs).
 */
export const DEFAULT_SPIN = 100;

/**
 * Spins at most `budget` loads while the word at `offset` holds `value`; true when it changed.
 * Every primitive calls this before it blocks, so a hand-over that happens within a microsecond
 * costs no system call on either side.
 */
export function spinWhile(mem: AtomicMemory, offset: number, value: number, budget: number): boolean {
  for (let i = 0; i < budget; i++) {
    if (mem.load32(offset) !== value) return true;
  }
  return false;
}
