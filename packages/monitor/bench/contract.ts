/**
 * The benchmark suite contract apps/bench runs (docs/benchmarks.md, "Suites"), declared here so that
 * this package does not depend on the runner: structural typing is the contract.
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
