/**
 * How much work each test does, for a full run and for `--quick` (which must finish within two
 * minutes on a 2-core machine, baselines included).
 */

/** Iteration counts of one run. */
export interface Plan {
  /** Round trips measured per round-trip test (after the warm-up). */
  readonly roundTrips: number;
  /** Round trips discarded before measuring (JIT warm-up, peer woken up). */
  readonly warmupRoundTrips: number;
  /**
   * Least time every test warms up for, whatever the counts above. With both cores spinning, V8's
   * background compiler gets little CPU: a urpc stream was measured reaching its steady rate only after
   * ~180 ms (1.0, 1.8, 5.1, then 7-8 M msg/s in runs of 100 k 64-byte messages), so a count-based
   * warm-up of a few milliseconds measured half-compiled code.
   */
  readonly warmupMs: number;
  /**
   * Round trips timed together as one sample. A clock read costs ~60 ns on these VMs, a fifth of the
   * raw-sab round trip; timing batches keeps that under ~2% of a sample for every transport.
   */
  readonly batch: number;
  /** Messages per throughput run at payloads up to 256 bytes (larger payloads: see {@link messagesFor}). */
  readonly throughputMessages: number;
  /** Measured throughput runs per payload size (each one gives one rate sample). */
  readonly throughputRuns: number;
  /** Upper bound on any single wait (a spin, a reply, a worker start) before it fails with TIMEOUT. */
  readonly timeoutMs: number;
  /**
   * Time a test may take: a slow transport (postMessage, Comlink) measures fewer round trips or messages
   * than the counts above so that it fits, but never fewer than {@link MIN_SAMPLES} batches.
   */
  readonly testBudgetMs: number;
}

/** No statistic is reported over fewer samples than this. */
export const MIN_SAMPLES = 100;

/** The default, full run. */
export const FULL_PLAN: Plan = {
  roundTrips: 400_000,
  warmupRoundTrips: 40_000,
  warmupMs: 400,
  batch: 16,
  throughputMessages: 400_000,
  throughputRuns: 20,
  timeoutMs: 10_000,
  testBudgetMs: 6_000,
};

/** `--quick`: the same tests with fewer iterations. */
export const QUICK_PLAN: Plan = {
  roundTrips: 40_000,
  warmupRoundTrips: 5_000,
  warmupMs: 250,
  batch: 16,
  throughputMessages: 50_000,
  throughputRuns: 8,
  timeoutMs: 10_000,
  testBudgetMs: 1_500,
};

/** A tiny plan for the tests: checks shapes, not timings. */
export const TINY_PLAN: Plan = {
  roundTrips: 64,
  warmupRoundTrips: 16,
  warmupMs: 0,
  batch: 4,
  throughputMessages: 100,
  throughputRuns: 2,
  timeoutMs: 10_000,
  testBudgetMs: 2_000,
};

/**
 * Messages per throughput run for a payload size: the plan's count up to 256 bytes, then the same number
 * of bytes (a 2048-byte run sends an eighth as many messages), so every size takes similar time.
 */
export function messagesFor(plan: Plan, payloadBytes: number): number {
  return Math.max(16, Math.round((plan.throughputMessages * Math.min(1, 256 / payloadBytes)) / 16) * 16);
}
