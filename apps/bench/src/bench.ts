/**
 * One benchmark run from parsed options to a {@link BenchReport}: machine info, every suite, the
 * table, the targets, and the JSON/SVG files. `main.ts` only adds process concerns (argv, exit code).
 */
import { writeFile } from "node:fs/promises";
import type { BenchArgs } from "./args.js";
import { BenchError, describeError } from "./errors.js";
import { FULL_PLAN, type Plan, QUICK_PLAN } from "./harness/plan.js";
import { runAll, STEPS_PER_TRANSPORT } from "./harness/runner.js";
import { describeMachine, machineInfo } from "./report/machine.js";
import { type Progress, stderrProgress } from "./report/progress.js";
import { renderChart } from "./report/svg-chart.js";
import { FAILED, markdownTable, tableCells, textTable } from "./report/table.js";
import { checkTargets, formatTargets } from "./report/targets.js";
import type { BenchReport } from "./results.js";
import { FACTORIES } from "./workloads/factories.js";
import type { SuiteFactory } from "./workloads/suite.js";

/** Runs the benchmark described by `args`, printing to `out` (stdout) and progress to stderr. */
export async function runBench(
  args: BenchArgs,
  out: (text: string) => void,
  options: { plan?: Plan; progress?: Progress; factories?: typeof FACTORIES } = {},
): Promise<BenchReport> {
  const plan = options.plan ?? (args.quick ? QUICK_PLAN : FULL_PLAN);
  const machine = machineInfo();
  const progress = options.progress ?? stderrProgress(args.transports.length * STEPS_PER_TRANSPORT);
  progress.note(`machine: ${describeMachine(machine)}`);
  const factories: Readonly<Record<string, SuiteFactory>> = options.factories ?? FACTORIES;
  let run: Awaited<ReturnType<typeof runAll>>;
  try {
    run = await runAll(args.transports, factories, plan, progress);
  } finally {
    progress.end();
  }
  const targets = checkTargets(run.results);
  const report: BenchReport & { targets: typeof targets } = {
    machine,
    settings: {
      quick: args.quick,
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
  const cells = tableCells(run.results, [...run.skipped, ...failed]);
  out(`shoal transport benchmark${args.quick ? " (--quick)" : ""}\nmachine: ${describeMachine(machine)}\n`);
  out(`${textTable(cells)}\n`);
  out(`\ntargets (same run):\n${formatTargets(targets)}\n`);
  if (args.markdown) out(`\n${markdownTable(cells)}\n`);
  if (args.json !== null) await save(args.json, `${JSON.stringify(report, null, 2)}\n`, out);
  if (args.svg !== null) await save(args.svg, renderChart(run.results, describeMachine(machine)), out);
  if (run.failures.length > 0) {
    const list = run.failures
      .map((f) => `  ${f.transport} ${f.test} ${f.payload_bytes} B: ${f.error}`)
      .join("\n");
    throw new BenchError("TRANSPORT_FAILED", `${run.failures.length} test(s) failed:\n${list}`);
  }
  return report;
}

async function save(file: string, content: string, out: (text: string) => void): Promise<void> {
  try {
    await writeFile(file, content);
  } catch (e) {
    throw new BenchError("OUTPUT_FAILED", `cannot write ${file}: ${describeError(e)}`, { cause: e });
  }
  out(`wrote ${file}\n`);
}
