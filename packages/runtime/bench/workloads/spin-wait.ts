/**
 * The one bounded wait every hand-written shared-memory loop uses. It spins (both cores busy: that is
 * what the floor measures), checks the stop flag and the clock only every {@link SPINS_PER_CHECK} spins
 * (a clock read costs ~60 ns), falls back to 1 ms `Atomics.wait` naps once the peer has been quiet for
 * about ten milliseconds, longer than a scheduler time slice (so an idle side stops burning a core), and gives up after `timeoutMs`.
 */
import { SPINS_PER_CHECK, STOP } from "./raw-layout.js";

/** The word reached the target. */
export const REACHED = 0;
/** The stop flag was set by main. */
export const STOPPED = 1;
/** Nothing happened for `timeoutMs`. */
export const TIMED_OUT = 2;
/** Outcome of {@link waitUntilReached}. */
export type WaitOutcome = typeof REACHED | typeof STOPPED | typeof TIMED_OUT;

/** Checks (of SPINS_PER_CHECK spins each, ~25 µs: ~10 ms in all) before the wait starts napping instead of spinning. */
const SPIN_CHECKS_BEFORE_NAP = 400;

/**
 * Waits until the sequence word `i32[index]` has reached `target` (wrap-safe: `(value - target) | 0 >= 0`).
 * Sequences in the raw layout only grow, so "reached" is the right test for both exact hand-offs and
 * counters the peer may have moved past.
 */
export function waitUntilReached(
  i32: Int32Array,
  index: number,
  target: number,
  timeoutMs: number,
): WaitOutcome {
  // Fast path: one Atomics.load (acquire: the payload written before the peer's store is visible).
  if (((Atomics.load(i32, index) - target) | 0) >= 0) return REACHED;
  let spins = 0;
  let checks = 0;
  let deadline = 0;
  for (;;) {
    const seen = Atomics.load(i32, index);
    if (((seen - target) | 0) >= 0) return REACHED;
    if (++spins < SPINS_PER_CHECK) continue;
    spins = 0;
    // Relaxed would do; Atomics.load keeps the flag from being hoisted out of the loop by the JIT.
    if (Atomics.load(i32, STOP) !== 0) return STOPPED;
    checks += 1;
    if (checks === 1) deadline = performance.now() + timeoutMs;
    else if (performance.now() > deadline) return TIMED_OUT;
    // Nap until the word changes from `seen` or 1 ms passes; no notify needed on the hot path.
    if (checks > SPIN_CHECKS_BEFORE_NAP) Atomics.wait(i32, index, seen, 1);
  }
}
