// The boot-time RTT measurement on a booted 4-core system, and its statistics.
import { afterEach, describe, expect, it } from "vitest";
import { Machine, measureRtts, rttFactLines, rttStats } from "../src/index.js";

let machines: Machine[] = [];
afterEach(async () => {
  await Promise.all(machines.map((m) => m.halt()));
  machines = [];
});

describe("rttStats", () => {
  it("takes the median and a MAD-based spread, so one outlier batch moves neither", () => {
    // Batch medians in µs: 1.0, 1.2, 1.1, 1.1, and one batch that waited for a woken peer (50).
    const r = rttStats(1, 2, [1.0, 1.2, 1.1, 1.1, 50], [0.8, 0.9, 0.9, 1.0, 0.7], 100);
    expect(r.avgNs).toBe(1100);
    // |x - 1.1| = 0.1, 0.1, 0, 0, 48.9: MAD 0.1 µs; sd = 1.4826 * 100 ns; var = sd².
    expect(r.varNs2).toBe(Math.round((1.4826 * 100) ** 2));
    expect(r.minNs).toBe(700);
    expect(r.maxNs).toBe(50_000);
    expect(rttFactLines([r])).toEqual([`message_rtt(1,2,1100,${r.varNs2},700,50000).`]);
  });
});

describe("measureRtts on a booted machine", () => {
  it("measures every ordered pair of 4 cores, one at a time", async () => {
    const m = await Machine.boot({ cores: 4, memoryBytes: 64 * 2 ** 20 });
    machines.push(m);
    const { rows, ms } = await measureRtts(m, { batches: 3, pingsPerBatch: 10 });
    expect(ms).toBeGreaterThan(0);
    const pairs = rows.map((r) => `${r.from}-${r.to}`);
    expect(pairs).toEqual([
      "0-1",
      "0-2",
      "0-3",
      "1-0",
      "1-2",
      "1-3",
      "2-0",
      "2-1",
      "2-3",
      "3-0",
      "3-1",
      "3-2",
    ]);
    for (const r of rows) {
      expect(r.samples).toBe(30);
      expect(r.minNs).toBeGreaterThan(0);
      expect(r.minNs).toBeLessThanOrEqual(r.avgNs);
      expect(r.avgNs).toBeLessThanOrEqual(r.maxNs);
      expect(r.varNs2).toBeGreaterThanOrEqual(0);
    }
    expect(rttFactLines(rows)).toHaveLength(12);
  });
});
