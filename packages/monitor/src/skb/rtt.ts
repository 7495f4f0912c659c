/**
 * The boot-time measurement of the URPC round trip between every ordered pair of cores, for the
 * SKB's `message_rtt(From, To, Avg, Var, Min, Max)` facts (in ns).
 *
 * Each sample is a batch of monitor pings over the intermon mesh, timed inside the sending core
 * (`Machine.ping`: its median and minimum). Pairs are measured one at a time, so on a machine with
 * fewer CPUs than cores only the two cores of the pair are busy and the rest sleep on their doorbells;
 * a batch keeps the pair warm (the first ping of a batch may wake a sleeping peer, the median is not
 * moved by it). Statistics are robust: Avg is the median of the batch medians, Var the square of
 * their scaled median absolute deviation (1.4826 MAD, an estimate of the standard deviation that
 * one outlier batch does not move), Min the fastest single round trip, Max the slowest batch median.
 */
import type { Machine } from "../machine/machine.js";

/** Options of {@link measureRtts}. */
export interface RttOptions {
  /** Batches per pair (default 10). */
  readonly batches?: number;
  /** Round trips per batch (default 20): batches × pings round trips per pair. */
  readonly pingsPerBatch?: number;
  /** Measure only these cores (default: every live core). */
  readonly cores?: readonly number[];
}

/** The measured round trip from one core to another, in ns. */
export interface RttRow {
  readonly from: number;
  readonly to: number;
  readonly avgNs: number;
  readonly varNs2: number;
  readonly minNs: number;
  readonly maxNs: number;
  /** Round trips measured. */
  readonly samples: number;
}

/** What a measurement took and found. */
export interface RttMatrix {
  readonly rows: readonly RttRow[];
  /** Wall time of the whole measurement, ms. */
  readonly ms: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  if (s.length === 0) return 0;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Robust statistics of batch medians and minima (µs in, ns out); see the module comment. */
export function rttStats(
  from: number,
  to: number,
  batchMediansUs: readonly number[],
  batchMinsUs: readonly number[],
  samples: number,
): RttRow {
  const m = median(batchMediansUs);
  const mad = median(batchMediansUs.map((x) => Math.abs(x - m)));
  const sd = 1.4826 * mad * 1000;
  return {
    from,
    to,
    avgNs: Math.round(m * 1000),
    varNs2: Math.round(sd * sd),
    minNs: Math.round(Math.min(...batchMinsUs) * 1000),
    maxNs: Math.round(Math.max(...batchMediansUs) * 1000),
    samples,
  };
}

/** Measures every ordered pair of distinct cores, one pair at a time. */
export async function measureRtts(machine: Machine, options: RttOptions = {}): Promise<RttMatrix> {
  const batches = positive(options.batches ?? 10, "batches");
  const pings = positive(options.pingsPerBatch ?? 20, "pingsPerBatch");
  const cores = options.cores ?? machine.liveCores();
  const t0 = performance.now();
  const rows: RttRow[] = [];
  for (const from of cores) {
    for (const to of cores) {
      if (from === to) continue;
      const medians: number[] = [];
      const mins: number[] = [];
      for (let b = 0; b < batches; b++) {
        const r = await machine.ping(to, from, pings);
        medians.push(r.medianUs);
        mins.push(r.minUs);
      }
      rows.push(rttStats(from, to, medians, mins, batches * pings));
    }
  }
  return { rows, ms: performance.now() - t0 };
}

/** The rows as SKB facts (Prolog text, one `message_rtt/6` fact a line), for `assertz` or a file. */
export function rttFactLines(rows: readonly RttRow[]): string[] {
  return rows.map((r) => `message_rtt(${r.from},${r.to},${r.avgNs},${r.varNs2},${r.minNs},${r.maxNs}).`);
}

function positive(n: number, name: string): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
  return n;
}
