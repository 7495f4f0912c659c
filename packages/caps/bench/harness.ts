/**
 * A small benchmark harness: warm-up, repeated timed rounds, median and spread of the rate.
 * Rates are operations per second of wall time (performance.now) over a round.
 */

/** A measured rate. */
export interface Rate {
  /** Median ops/s over the rounds. */
  readonly median: number;
  /** Lowest round's ops/s. */
  readonly min: number;
  /** Highest round's ops/s. */
  readonly max: number;
  readonly rounds: number;
}

/**
 * Measures `body(n)`, which performs n operations and returns the milliseconds it spent timing them
 * (so that set-up and tear-down between batches stay off the clock), or undefined to time the call.
 */
export function measureRate(
  body: (n: number) => number | undefined,
  opsPerRound: number,
  rounds: number,
  warmupRounds = 2,
): Rate {
  for (let i = 0; i < warmupRounds; i++) body(opsPerRound);
  const rates: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const timed = body(opsPerRound);
    const ms = timed ?? performance.now() - t0;
    rates.push(opsPerRound / (ms / 1000));
  }
  rates.sort((a, b) => a - b);
  return {
    median: rates[Math.floor(rates.length / 2)] as number,
    min: rates[0] as number,
    max: rates[rates.length - 1] as number,
    rounds,
  };
}

/** Formats a rate as "12.3 M/s". */
export function formatRate(r: number): string {
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)} M/s`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)} k/s`;
  return `${r.toFixed(0)} /s`;
}
