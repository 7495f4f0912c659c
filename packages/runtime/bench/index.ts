/**
 * The runtime's benchmark suite, `pnpm bench` (or `pnpm bench runtime`): shoal's transports (urpc,
 * lrpc, port, through stubs generated from interfaces/bench.if) against raw SharedArrayBuffer,
 * postMessage and Comlink baselines measured in the same run (docs/benchmarks.md).
 */
import type { BenchSuite } from "./contract.js";
import { TRANSPORTS } from "./results.js";
import { runTransportBench, TITLE } from "./transport-bench.js";

export type { BenchSuite, SuiteContext, SuiteParts, SuiteReport, SuiteTable } from "./contract.js";

/** The suite apps/bench runs. */
export const suite: BenchSuite = {
  name: "runtime",
  title: TITLE,
  parts: { noun: "transport", names: TRANSPORTS },
  run: (ctx) => runTransportBench(ctx),
};
