/**
 * The suite's report as the runner receives it: the table's shape, the targets under it, the JSON
 * document, the chart and the failure lines, from real runs with tiny iteration counts (never timings).
 */
import { describe, expect, it } from "vitest";
import { isBenchError } from "./errors.js";
import { TINY_PLAN } from "./harness/plan.js";
import { suite } from "./index.js";
import { silentProgress } from "./report/progress.js";
import { HEADER } from "./report/table.js";
import { TRANSPORTS } from "./results.js";
import { chosenTransports, runTransportBench, TITLE } from "./transport-bench.js";
import { FACTORIES } from "./workloads/factories.js";

const ctx = (only?: string[]) => ({
  quick: true,
  log() {},
  machine: "test machine",
  ...(only ? { only } : {}),
});

describe("chosenTransports", () => {
  it("keeps the table's order whatever order --only gave, and every transport without it", () => {
    expect(chosenTransports(["comlink", "urpc"])).toEqual(["urpc", "comlink"]);
    expect(chosenTransports(undefined)).toEqual(TRANSPORTS);
  });

  it("rejects a name that is no transport with BAD_ARGS, listing the known ones", () => {
    let caught: unknown;
    try {
      chosenTransports(["urpc", "carrier-pigeon"]);
    } catch (e) {
      caught = e;
    }
    expect(isBenchError(caught, "BAD_ARGS")).toBe(true);
    expect((caught as Error).message).toMatch(/unknown transport "carrier-pigeon" \(known: urpc, lrpc/);
  });
});

describe("the runtime suite", () => {
  it("is the contract's suite, with the transports as the parts --only chooses", () => {
    expect(suite.name).toBe("runtime");
    expect(suite.title).toBe(TITLE);
    expect(suite.parts).toEqual({ noun: "transport", names: TRANSPORTS });
  });

  it("reports the table, the targets, the JSON and the chart of a run", async () => {
    const report = await runTransportBench(ctx(["raw-sab"]), { plan: TINY_PLAN, progress: silentProgress });
    const [table, ...more] = report.tables;
    expect(more).toEqual([]);
    expect(table?.title).toBe(TITLE);
    expect(table?.columns).toEqual(HEADER);
    expect(table?.rows.map((r) => `${r[0]} ${r[1]} ${r[2]}`)).toEqual([
      "raw-sab pingpong 8 B",
      "raw-sab rpc 8 B",
      "raw-sab throughput 8 B",
      "raw-sab throughput 64 B",
      "raw-sab throughput 256 B",
      "raw-sab throughput 2048 B",
    ]);
    expect(table?.notes?.[0]).toBe("targets (same run):");
    expect(table?.notes?.find((n) => n.startsWith("urpc pingpong round trip"))).toMatch(/not measured$/);
    expect(Object.keys(report.json)).toEqual(["settings", "results", "skipped", "failures", "targets"]);
    expect(report.json.settings).toMatchObject({ quick: true, round_trips: TINY_PLAN.roundTrips });
    expect(report.svg).toMatch(/^<svg [\s\S]*test machine/);
    expect(report.failures).toEqual([]);
  });

  it("lists a transport that failed to set up as a failure line, and still reports the others", async () => {
    const factories = {
      ...FACTORIES,
      postmessage: () => Promise.reject(new Error("no worker for you")),
    };
    const report = await runTransportBench(ctx(["postmessage", "raw-sab"]), {
      plan: TINY_PLAN,
      progress: silentProgress,
      factories,
    });
    expect(report.failures).toEqual(["postmessage pingpong 8 B: set-up: no worker for you"]);
    expect(report.tables[0]?.rows.at(-1)).toEqual([
      "postmessage",
      "pingpong",
      "8 B",
      "FAILED: set-up: no worker for you",
    ]);
    expect(report.tables[0]?.rows.filter((r) => r[0] === "raw-sab")).toHaveLength(6);
  });
});
