/** The bench suite contract (docs/benchmarks.md, "The contract"): matched structurally by apps/bench. */
export interface SuiteContext {
  quick: boolean;
  log(line: string): void;
  step?(label: string): void;
  machine?: string;
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
  svg?: string;
  failures?: string[];
}
/** A benchmark suite. */
export interface BenchSuite {
  name: string;
  title: string;
  run(ctx: SuiteContext): Promise<SuiteReport>;
}
