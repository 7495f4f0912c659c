/**
 * One `pnpm bench` run from parsed options: find and load the suite, run it with a context, print its
 * tables (text, and Markdown with `--markdown`) and write `--json` / `--svg`. `main.ts` only adds process
 * concerns (argv, exit code).
 */
import { writeFile } from "node:fs/promises";
import type { BenchArgs } from "./args.js";
import { type BenchSuite, checkReport, type SuiteContext, type SuiteReport } from "./contract.js";
import { BenchError, describeError, errorCode } from "./errors.js";
import { findSuite, loadSuite, type SuiteLoader } from "./registry.js";
import { describeMachine, type MachineInfo, machineInfo } from "./report/machine.js";
import { type Progress, stderrProgress } from "./report/progress.js";
import { markdownTable, textTable } from "./report/table.js";

/** What {@link runBench} may be given instead of the real thing (tests). */
export interface RunOptions {
  readonly loader?: SuiteLoader;
  /** The suite itself, instead of loading `args.suite`. */
  readonly suite?: BenchSuite;
  readonly progress?: Progress;
  readonly machine?: MachineInfo;
}

/** Runs the suite `args` names, printing to `out` (stdout) and its progress to stderr. */
export async function runBench(
  args: BenchArgs,
  out: (text: string) => void,
  options: RunOptions = {},
): Promise<{ suite: BenchSuite; report: SuiteReport; machine: MachineInfo }> {
  const suite = options.suite ?? (await loadSuite(findSuite(args.suite), options.loader));
  const only = args.only === null ? undefined : checkOnly(suite, args.only);
  const machine = options.machine ?? machineInfo();
  const progress = options.progress ?? stderrProgress();
  progress.note(`machine: ${describeMachine(machine)}`);
  const ctx: SuiteContext = {
    quick: args.quick,
    log: (line) => progress.note(line),
    step: (label) => progress.step(label),
    machine: describeMachine(machine),
    ...(only === undefined ? {} : { only }),
  };
  let report: SuiteReport;
  try {
    const value: unknown = await suite.run(ctx);
    const wrong = checkReport(value);
    if (wrong !== null) throw new BenchError("SUITE_INVALID", `suite ${suite.name}: ${wrong}`);
    report = value as SuiteReport;
  } catch (e) {
    if (e instanceof BenchError) throw e;
    const code = errorCode(e);
    throw new BenchError(
      "SUITE_FAILED",
      `suite ${suite.name}: ${code === null ? "" : `${code}: `}${describeError(e)}`,
      {
        cause: e,
      },
    );
  } finally {
    progress.end();
  }
  out(`${suite.title}${args.quick ? " (--quick)" : ""}\nmachine: ${describeMachine(machine)}\n`);
  for (const [i, table] of report.tables.entries()) {
    // The title line is left out where it would repeat the suite's (a suite with one table).
    const title = table.title === suite.title ? "" : `${table.title}\n`;
    out(`${i > 0 ? "\n" : ""}${title}${textTable(table)}\n`);
    if (table.notes !== undefined && table.notes.length > 0) out(`\n${table.notes.join("\n")}\n`);
  }
  if (args.markdown) {
    for (const table of report.tables) {
      const title = table.title === suite.title ? "" : `### ${table.title}\n\n`;
      out(`\n${title}${markdownTable(table)}\n`);
    }
  }
  if (args.json !== null) {
    await save(args.json, `${JSON.stringify({ machine, ...report.json }, null, 2)}\n`, out);
  }
  if (args.svg !== null && report.svg !== undefined) await save(args.svg, report.svg, out);
  const failures = report.failures ?? [];
  if (failures.length > 0) {
    const list = failures.map((f) => `  ${f}`).join("\n");
    throw new BenchError("SUITE_FAILED", `${failures.length} test(s) failed:\n${list}`);
  }
  return { suite, report, machine };
}

/** `--only`'s names, checked against the suite's parts (BAD_ARGS, listing the known ones). */
function checkOnly(suite: BenchSuite, only: readonly string[]): readonly string[] {
  const parts = suite.parts;
  if (parts === undefined) {
    throw new BenchError("BAD_ARGS", `--only: the ${suite.name} suite has no parts to choose from`);
  }
  for (const name of only) {
    if (!parts.names.includes(name)) {
      throw new BenchError(
        "BAD_ARGS",
        `--only: unknown ${parts.noun} ${JSON.stringify(name)} (known: ${parts.names.join(", ")})`,
      );
    }
  }
  return only;
}

async function save(file: string, content: string, out: (text: string) => void): Promise<void> {
  try {
    await writeFile(file, content);
  } catch (e) {
    throw new BenchError("OUTPUT_FAILED", `cannot write ${file}: ${describeError(e)}`, { cause: e });
  }
  out(`wrote ${file}\n`);
}
