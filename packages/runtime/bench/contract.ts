/**
 * The benchmark suite contract every package's `bench/index.ts` exports (docs/benchmarks.md, "Suites"),
 * declared here as the team agreed: apps/bench matches it structurally, so this package does not depend
 * on the runner. The optional members extend the base contract; a runner or a suite that ignores them
 * still fits.
 */

/** What the runner gives a suite's {@link BenchSuite.run}. */
export interface SuiteContext {
  /** Fewer iterations: the whole suite within a couple of minutes. */
  readonly quick: boolean;
  /** A line that stays (stderr: stdout carries only the report). */
  log(line: string): void;
  /** Optional: a transient progress line, which a terminal redraws in place (else use {@link log}). */
  step?(label: string): void;
  /** Optional: the parts `--only` chose, names from {@link BenchSuite.parts}; absent means all of them. */
  readonly only?: readonly string[];
  /** Optional: one line describing the machine, as the runner printed it (for a chart's title). */
  readonly machine?: string;
}

/** One table of a report; the runner prints it as aligned text (and as Markdown with `--markdown`). */
export interface SuiteTable {
  readonly title: string;
  readonly columns: readonly string[];
  /**
   * Rows of cells. A row with fewer cells than columns is a note row (`skipped: ...`): its last cell
   * runs on over the remaining columns.
   */
  readonly rows: readonly (readonly string[])[];
  /** Lines printed under the table, after a blank line. */
  readonly notes?: readonly string[];
  /** Optional: alignment per column; default: the first column left, the others right. */
  readonly align?: readonly ("left" | "right")[];
}

/** What a run produced. */
export interface SuiteReport {
  readonly tables: readonly SuiteTable[];
  /** Written as the `--json FILE` document, after the runner's `machine` key. */
  readonly json: Readonly<Record<string, unknown>>;
  /** Optional: an SVG chart, written to `--svg FILE` (default bench.svg). */
  readonly svg?: string;
  /**
   * Optional: tests that failed, one line each. The runner still prints and writes everything, then
   * fails the command (exit code 1) listing them.
   */
  readonly failures?: readonly string[];
}

/** The names `--only` accepts, and what they are called in messages ("transport"). */
export interface SuiteParts {
  readonly noun: string;
  readonly names: readonly string[];
}

/** A package's benchmark suite. */
export interface BenchSuite {
  /** The name `pnpm bench NAME` runs (the package name without the scope). */
  readonly name: string;
  /** The report's first line. */
  readonly title: string;
  /** Optional: the parts of the suite `--only LIST` may choose. */
  readonly parts?: SuiteParts;
  /** Runs every workload; rejects only when no report can be made at all. */
  run(ctx: SuiteContext): Promise<SuiteReport>;
}
