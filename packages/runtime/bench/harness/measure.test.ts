import { describe, expect, it } from "vitest";
import type { Suite } from "../workloads/suite.js";
import { measureThroughput } from "./measure.js";
import { TINY_PLAN } from "./plan.js";

/** A suite that takes no time: each run "takes" its script's ns per message in the current mode. */
function fakeSuite(modes: number[], withFloor: boolean) {
  const calls: string[] = [];
  let pair = -1;
  const suite: Suite = {
    transport: "urpc",
    unsupported: {},
    pingpong: () => Promise.reject(new Error("unused")),
    rpc: () => Promise.reject(new Error("unused")),
    async throughput(payload, messages) {
      calls.push(`stub ${payload} ${messages}`);
      return 100 * (modes[Math.max(0, pair)] ?? 1) * messages;
    },
    close: async () => {},
  };
  if (withFloor) {
    suite.floorThroughput = async (payload, messages) => {
      calls.push(`floor ${payload} ${messages}`);
      if (calls.filter((c) => c.startsWith("floor")).length > 1) pair += 1; // the first is a warm-up
      return 50 * (modes[Math.max(0, pair)] ?? 1) * messages;
    };
  }
  return { suite, calls };
}

describe("measureThroughput with a paired floor", () => {
  const plan = { ...TINY_PLAN, throughputRuns: 5 };

  it("alternates floor and stub runs of the same size and takes the median of per-pair rate ratios", async () => {
    // The core placement flips between a fast (×1) and a slow (×4) mode between pairs; every pair says
    // the stub has 50% of the floor's rate.
    const { suite, calls } = fakeSuite([1, 4, 4, 1, 4], true);
    const row = await measureThroughput(suite, 64, plan, null);
    const measured = calls.slice(-10);
    expect(measured.map((c) => c.split(" ")[0])).toEqual(Array(5).fill(["floor", "stub"]).flat());
    expect(new Set(measured.map((c) => c.split(" ").slice(1).join(" "))).size).toBe(1);
    expect(row.floor_rate_ratio).toBeCloseTo(0.5);
    expect(row.samples).toBe(5);
    // The row's own statistics are the stub runs' (median 400 ns per message), the floor its median run.
    expect(row.median_ns).toBe(400);
    expect(row.msgs_per_s).toBeCloseTo(2.5e6);
    expect(row.floor_msgs_per_s).toBeCloseTo(5e6);
    expect(row.floor_ratio).toBeNull();
  });

  it("keeps the raw-sab floor and a null floor_rate_ratio for suites without one", async () => {
    const { suite } = fakeSuite([1, 1, 1, 1, 1], false);
    const { suite: rawSab } = fakeSuite([1, 1, 1, 1, 1], false);
    const row = await measureThroughput(suite, 64, plan, rawSab);
    expect(row.floor_rate_ratio).toBeNull();
    expect(row.floor_msgs_per_s).toBeCloseTo(1e7); // 100 ns per message
  });
});
