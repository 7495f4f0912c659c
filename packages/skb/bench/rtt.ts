/**
 * The boot-time RTT matrix: boots a machine of N cores, measures every ordered pair
 * (@shoal/monitor's measureRtts, 10 batches of 20 pings per pair), and loads the result into an SKB
 * with this machine's facts. Reported against the boot itself, measured in the same run, which is
 * what the SKB's share of boot (goal: under 300 ms) is compared with.
 */
import { Machine, measureRtts } from "@shoal/monitor";
import { loadHost } from "../src/discovery/load-host.js";
import type { SkbEngine } from "../src/engine/engine.js";
import { assertMeasuredRtts } from "../src/facts/measured.js";
import { multicastTree } from "../src/queries/multicast.js";
import { fmt, type SuiteContext, type SuiteTable } from "./contract.js";

/** Boots, measures and loads for each core count; the table and the JSON keys. */
export async function rttReport(
  ctx: SuiteContext,
  engine: SkbEngine,
): Promise<{ table: SuiteTable; json: Record<string, unknown> }> {
  const counts = ctx.quick ? [2, 4] : [2, 4, 8];
  const rtt: Record<string, number> = {};
  const bootMs: Record<string, number> = {};
  const loadMs: Record<string, number> = {};
  const rows: string[][] = [];
  for (const cores of counts) {
    const t0 = performance.now();
    const machine = await Machine.boot({ cores, memoryBytes: 64 * 2 ** 20 });
    const booted = performance.now() - t0;
    try {
      const m = await measureRtts(machine);
      const t1 = performance.now();
      loadHost(engine, { cores });
      assertMeasuredRtts(engine, m.rows);
      multicastTree(engine, 0);
      const load = performance.now() - t1;
      const avgs = m.rows.map((r) => r.avgNs).sort((a, b) => a - b);
      rtt[String(cores)] = m.ms;
      bootMs[String(cores)] = booted;
      loadMs[String(cores)] = load;
      rows.push([
        String(cores),
        fmt(booted, 0),
        String(m.rows.length),
        fmt(m.ms, 0),
        fmt(load, 1),
        `${fmt((avgs[0] ?? 0) / 1000, 1)}-${fmt((avgs[avgs.length - 1] ?? 0) / 1000, 1)}`,
      ]);
      ctx.log(`skb: rtt matrix, ${cores} cores: ${fmt(m.ms, 0)} ms (boot ${fmt(booted, 0)} ms)`);
    } finally {
      await machine.halt();
    }
  }
  return {
    table: {
      title: "skb: the RTT matrix at boot (every ordered pair, 200 round trips each)",
      columns: [
        "cores",
        "boot ms (baseline)",
        "pairs",
        "measure ms",
        "facts + first tree ms",
        "avg RTT µs (range)",
      ],
      rows,
      notes: [
        `engine start (in the table above, ${fmt(engine.startMs, 0)} ms for the last engine) is also part of the SKB's boot cost`,
        "pairs are measured one at a time (the others sleep): the time grows with cores²",
      ],
    },
    json: { rtt_matrix_ms: rtt, boot_ms: bootMs, rtt_facts_load_ms: loadMs },
  };
}
