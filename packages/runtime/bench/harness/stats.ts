/**
 * Summary statistics over recorded samples. Percentiles use the nearest-rank method on a sorted copy,
 * so every reported value is one that was actually measured.
 */

/** Median and 99th percentile of a set of samples, plus how many there were. */
export interface Summary {
  readonly median: number;
  readonly p99: number;
  readonly min: number;
  readonly count: number;
}

/** The nearest-rank `q`-quantile (0 < q ≤ 1) of already-sorted ascending samples. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantile of an empty sample set");
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile must be in (0, 1], got ${q}`);
  const rank = Math.ceil(q * n);
  return sorted[Math.min(n, Math.max(1, rank)) - 1] as number;
}

/** Median, p99 and minimum of `samples` (which is not modified). */
export function summarize(samples: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(samples).sort();
  return {
    median: quantileSorted(sorted, 0.5),
    p99: quantileSorted(sorted, 0.99),
    min: quantileSorted(sorted, 1 / sorted.length),
    count: sorted.length,
  };
}
