// The kernel suite end to end at a small size: it boots, measures both sides of every comparison and
// reports the JSON keys issue 13 names, with figures that are real measurements (positive, finite).
import { describe, expect, it } from "vitest";
import { runKernelBench } from "../bench/index.js";

describe("the kernel bench suite", () => {
  it("measures every row through the OS and raw, and reports the issue's JSON keys", async () => {
    const lines: string[] = [];
    const r = await runKernelBench(
      { quick: true, log: (l) => lines.push(l) },
      {
        rounds: 1,
        oneway: 300,
        pipelined: 1_000,
        bind: 3,
        spawn: 3,
        warmMs: 20,
        bootCounts: [1, 3],
        bootRuns: 1,
      },
    );
    const j = r.json as {
      lrpc: Record<string, number>;
      urpc: Record<string, number>;
      bind_ms: number;
      spawn_ms: number;
      invoke_ns: number;
      boot_ms: Record<string, number>;
    };
    for (const v of [
      j.lrpc.oneway_ns,
      j.lrpc.raw_oneway_ns,
      j.urpc.oneway_ns,
      j.urpc.raw_oneway_ns,
      j.urpc.msgs_per_s,
      j.urpc.raw_msgs_per_s,
      j.bind_ms,
      j.spawn_ms,
      j.invoke_ns,
      j.boot_ms["1"],
      j.boot_ms["3"],
    ]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(0);
    }
    expect(Object.keys(j.boot_ms)).toEqual(["1", "3"]);
    // The rows say which transport the OS chose: lrpc on one core, urpc across cores.
    const rows = r.tables[0]?.rows.map((row) => row[0]) ?? [];
    expect(rows[0]).toContain("(lrpc");
    expect(rows[1]).toContain("(urpc");
    expect(lines).toContain("round 1/1 done");
  });
});
