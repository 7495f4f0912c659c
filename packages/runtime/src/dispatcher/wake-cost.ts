/**
 * The wake-up cost C of the paper's §5.2 model: what it costs a thread to go to sleep and be woken.
 * The dispatcher polls for about C before it blocks, so a message that arrives within that time is
 * caught by polling (cheap) and only a longer gap pays for the sleep.
 */

/** Timeout of each probe sleep, in milliseconds (20 µs: shorter than any real wake-up on a VM). */
const PROBE_MS = 0.02;
/** Probes per measurement; the median is kept, so one preempted probe does not skew it. */
const PROBES = 7;

/**
 * Measures C in nanoseconds: the median overshoot of a short timed futex sleep (`Atomics.wait` with a
 * 20 µs timeout) beyond its timeout. The overshoot is the time the kernel takes to make a sleeping thread
 * run again (scheduler latency plus timer slack), which is the part of a wake-up that polling avoids.
 * Synchronous, takes well under a millisecond. Returns `fallbackNs` where blocking waits are not allowed.
 */
export function measureWakeCostNs(fallbackNs = 50_000): number {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const samples: number[] = [];
  try {
    for (let i = 0; i < PROBES; i++) {
      const t0 = performance.now();
      // Nobody ever notifies `cell`: this sleep always ends by timeout, so its overshoot is the wake-up.
      Atomics.wait(cell, 0, 0, PROBE_MS);
      samples.push((performance.now() - t0 - PROBE_MS) * 1e6);
    }
  } catch {
    return fallbackNs;
  }
  samples.sort((a, b) => a - b);
  const median = samples[samples.length >> 1] ?? fallbackNs;
  return Math.max(1_000, Math.round(median));
}
