/** The bench suite contract (COMMON.md), declared locally: apps/bench matches it structurally. */

export interface SuiteContext {
  quick: boolean;
  log(line: string): void;
}
export interface SuiteTable {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}
export interface SuiteReport {
  tables: SuiteTable[];
  json: Record<string, unknown>;
}
export interface BenchSuite {
  name: string;
  title: string;
  run(ctx: SuiteContext): Promise<SuiteReport>;
}
