/**
 * The suite contract apps/bench runs (docs/benchmarks.md), repeated here as types so the package
 * does not depend on the runner.
 */

/** What the runner passes. */
export interface SuiteContext {
  quick: boolean;
  log(line: string): void;
}
/** One printed table. */
export interface SuiteTable {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}
/** A suite's result. */
export interface SuiteReport {
  tables: SuiteTable[];
  json: Record<string, unknown>;
}
/** A benchmark suite. */
export interface BenchSuite {
  name: string;
  title: string;
  run(ctx: SuiteContext): Promise<SuiteReport>;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The p-th quantile (0..1) of a non-empty list, nearest rank. */
export function quantile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] as number;
}

/** Times `f` `rounds` times after `warmup` untimed calls; milliseconds per call. */
export function timeRounds(f: () => void, rounds: number, warmup = 2): number[] {
  for (let i = 0; i < warmup; i++) f();
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    f();
    out.push(performance.now() - t0);
  }
  return out;
}

/** A number for a table cell. */
export function fmt(x: number, digits = 2): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(digits);
}
