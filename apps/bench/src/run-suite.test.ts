import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type BenchArgs, parseArgs } from "./args.js";
import type { BenchSuite, SuiteContext, SuiteReport } from "./contract.js";
import { isBenchError } from "./errors.js";
import type { MachineInfo } from "./report/machine.js";
import { silentProgress } from "./report/progress.js";
import { runBench } from "./run-suite.js";

const dir = mkdtempSync(join(tmpdir(), "bench-run-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MACHINE: MachineInfo = {
  cpu_model: "CPU",
  cores: 2,
  node: "v20",
  v8: "11",
  os: "Linux",
  total_memory_gb: 4,
  load_avg_1m: 0.5,
  date: "2026-12-07T08:00:00.000Z",
};

const REPORT: SuiteReport = {
  tables: [
    { title: "fake", columns: ["op", "rate"], rows: [["retype", "1 M/s"]], notes: ["goal: met"] },
    {
      title: "second",
      columns: ["cores", "messages"],
      rows: [
        ["2", "4"],
        ["4", "skipped"],
      ],
    },
  ],
  json: { local: { retype_per_s: 1e6 } },
};

/** A suite that records the context it got and answers with `report`. */
function fake(report: unknown, parts?: BenchSuite["parts"]) {
  const seen: SuiteContext[] = [];
  const suite: BenchSuite = {
    name: "fake",
    title: "fake",
    ...(parts ? { parts } : {}),
    run: async (ctx) => {
      seen.push(ctx);
      ctx.log("a note");
      return report as SuiteReport;
    },
  };
  return { suite, seen };
}

async function run(argv: string[], suite: BenchSuite): Promise<{ text: string; error: unknown }> {
  let text = "";
  const args: BenchArgs = parseArgs(argv);
  try {
    await runBench(args, (t) => (text += t), { suite, progress: silentProgress, machine: MACHINE });
    return { text, error: null };
  } catch (e) {
    return { text, error: e };
  }
}

describe("runBench", () => {
  it("prints the suite's title, the machine, every table with its notes, and passes quick on", async () => {
    const { suite, seen } = fake(REPORT);
    const { text, error } = await run(["--quick", "--no-svg"], suite);
    expect(error).toBeNull();
    expect(seen[0]).toMatchObject({ quick: true, machine: expect.stringContaining("CPU, 2 cores") });
    expect(seen[0]?.only).toBeUndefined();
    expect(text.split("\n")).toEqual([
      "fake (--quick)",
      "machine: CPU, 2 cores, 4 GB, Node v20 (V8 11), Linux, load 0.5, 2026-12-07T08:00:00.000Z",
      // One title line is left out: the table's title repeats the suite's.
      "op       rate",
      "-------------",
      "retype  1 M/s",
      "",
      "goal: met",
      "",
      "second",
      "cores  messages",
      "---------------",
      // The first column left-aligned, the others right (the default).
      "2             4",
      "4       skipped",
      "",
    ]);
  });

  it("writes the JSON after a machine key, the chart only when the suite drew one, and Markdown", async () => {
    const json = join(dir, "out.json");
    const svg = join(dir, "chart.svg");
    const { text } = await run(["--json", json, "--svg", svg, "--markdown"], fake(REPORT).suite);
    expect(JSON.parse(readFileSync(json, "utf8"))).toEqual({
      machine: MACHINE,
      local: { retype_per_s: 1e6 },
    });
    expect(text).toContain(`wrote ${json}\n`);
    expect(text).not.toContain(svg);
    expect(text).toContain("\n| op | rate |\n| --- | ---: |\n| retype | 1 M/s |\n");
    expect(text).toContain("\n### second\n\n| cores | messages |");
    await run(["--svg", svg], fake({ ...REPORT, svg: "<svg/>" }).suite);
    expect(readFileSync(svg, "utf8")).toBe("<svg/>");
  });

  it("passes --only on when the suite has those parts, and rejects others with BAD_ARGS", async () => {
    const parts = { noun: "transport", names: ["urpc", "lrpc"] };
    const { suite, seen } = fake(REPORT, parts);
    expect((await run(["--only", "lrpc", "--no-svg"], suite)).error).toBeNull();
    expect(seen[0]?.only).toEqual(["lrpc"]);
    const unknown = (await run(["--only", "urpc,carrier-pigeon"], suite)).error;
    expect(isBenchError(unknown, "BAD_ARGS")).toBe(true);
    expect((unknown as Error).message).toBe('--only: unknown transport "carrier-pigeon" (known: urpc, lrpc)');
    const none = (await run(["--only", "x"], fake(REPORT).suite)).error;
    expect((none as Error).message).toBe("--only: the fake suite has no parts to choose from");
  });

  it("prints and writes everything, then fails with SUITE_FAILED listing the suite's failures", async () => {
    const json = join(dir, "failed.json");
    const { text, error } = await run(
      ["--json", json, "--no-svg"],
      fake({ ...REPORT, failures: ["urpc pingpong 8 B: TIMEOUT: stuck"] }).suite,
    );
    expect(text).toContain("retype  1 M/s");
    expect(JSON.parse(readFileSync(json, "utf8")).local).toEqual({ retype_per_s: 1e6 });
    expect(isBenchError(error, "SUITE_FAILED")).toBe(true);
    expect((error as Error).message).toBe("1 test(s) failed:\n  urpc pingpong 8 B: TIMEOUT: stuck");
  });

  it("turns a run that rejects into SUITE_FAILED with the suite's own error code", async () => {
    const suite: BenchSuite = {
      name: "fake",
      title: "fake",
      run: () => Promise.reject(Object.assign(new Error("worker died"), { code: "WORKER_FAILED" })),
    };
    const { text, error } = await run([], suite);
    expect(text).toBe("");
    expect(isBenchError(error, "SUITE_FAILED")).toBe(true);
    expect((error as Error).message).toBe("suite fake: WORKER_FAILED: worker died");
  });

  it.each([
    [null, "the report is not an object"],
    [{ tables: "no", json: {} }, "report.tables is not an array"],
    [
      { tables: [{ title: "t", columns: ["a"], rows: [[1]] }], json: {} },
      "report.tables[0].rows is not a list of rows of strings",
    ],
    [{ tables: [], json: [] }, "report.json is not an object"],
    [{ tables: [], json: {}, failures: "x" }, "report.failures is not a list of strings"],
  ])("rejects a malformed report %j with SUITE_INVALID", async (report, message) => {
    const { error } = await run([], fake(report).suite);
    expect(isBenchError(error, "SUITE_INVALID")).toBe(true);
    expect((error as Error).message).toBe(`suite fake: ${message}`);
  });
});
