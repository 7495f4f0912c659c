/**
 * One run of the transport benchmark, from the runner's context to a {@link SuiteReport}: every
 * transport's tests, the table, the targets, the chart and the JSON document. Printing and writing files
 * are the runner's (apps/bench).
 */
import type { SuiteContext, SuiteReport } from "./contract.js";
import { BenchError } from "./errors.js";
import { FULL_PLAN, type Plan, QUICK_PLAN } from "./harness/plan.js";
import { runAll, STEPS_PER_TRANSPORT } from "./harness/runner.js";
import { contextProgress, type Progress } from "./report/progress.js";
import { renderChart } from "./report/svg-chart.js";
import { ALIGN, FAILED, HEADER, tableCells } from "./report/table.js";
import { checkTargets, formatTargets } from "./report/targets.js";
import { type BenchReport, TRANSPORTS, type TransportName } from "./results.js";
import { FACTORIES } from "./workloads/factories.js";
import type { SuiteFactory } from "./workloads/suite.js";

/** The title of the report and of its table. */
export const TITLE = "shoal transport benchmark";

/** Runs the transports `ctx.only` names (all by default) and reports them. */
export async function runTransportBench(
  ctx: SuiteContext,
  options: { plan?: Plan; progress?: Progress; factories?: typeof FACTORIES } = {},
): Promise<SuiteReport> {
  const transports = chosenTransports(ctx.only);
  const plan = options.plan ?? (ctx.quick ? QUICK_PLAN : FULL_PLAN);
  const progress = options.progress ?? contextProgress(ctx, transports.length * STEPS_PER_TRANSPORT);
  const factories: Readonly<Record<string, SuiteFactory>> = options.factories ?? FACTORIES;
  const run = await runAll(transports, factories, plan, progress);
  const targets = checkTargets(run.results);
  const report: BenchReport & { targets: typeof targets } = {
    settings: {
      quick: ctx.quick,
      round_trips: plan.roundTrips,
      batch: plan.batch,
      throughput_messages: plan.throughputMessages,
      throughput_runs: plan.throughputRuns,
    },
    results: run.results,
    skipped: run.skipped,
    failures: run.failures,
    targets,
  };
  const failed = run.failures.map((f) => ({ ...f, reason: `${FAILED}${f.error}` }));
  const [, ...rows] = tableCells(run.results, [...run.skipped, ...failed]);
  return {
    tables: [
      {
        title: TITLE,
        columns: HEADER,
        rows,
        align: ALIGN,
        notes: ["targets (same run):", ...formatTargets(targets).split("\n")],
      },
    ],
    // A spread: an interface has no index signature, the object type of its spread does.
    json: { ...report },
    svg: renderChart(run.results, ctx.machine ?? "machine not recorded"),
    failures: run.failures.map((f) => `${f.transport} ${f.test} ${f.payload_bytes} B: ${f.error}`),
  };
}

/** `only` (names of {@link TRANSPORTS}) in the order of {@link TRANSPORTS}; every transport when absent. */
export function chosenTransports(only: readonly string[] | undefined): readonly TransportName[] {
  if (only === undefined) return TRANSPORTS;
  for (const name of only) {
    if (!(TRANSPORTS as readonly string[]).includes(name)) {
      throw new BenchError(
        "BAD_ARGS",
        `unknown transport ${JSON.stringify(name)} (known: ${TRANSPORTS.join(", ")})`,
      );
    }
  }
  return TRANSPORTS.filter((t) => only.includes(t));
}
