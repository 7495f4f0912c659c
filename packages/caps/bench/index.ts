/**
 * The caps benchmark suite (the contract apps/bench runs): the local operations of one core
 * (`local.ts`) and the distributed protocols on the simulator (`distributed.ts`), merged.
 */
import { distributedReport } from "./distributed.js";
import { localReport } from "./local.js";

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

/** The caps suite. */
export const suite: BenchSuite = {
  name: "caps",
  title: "capabilities: local operations and distributed protocols",
  run: async (ctx) => {
    const local = await localReport(ctx);
    const distributed = await distributedReport(ctx);
    return { tables: [...local.tables, ...distributed.tables], json: { ...local.json, ...distributed.json } };
  },
};
