/**
 * What the SKB adds to boot: `Machine.boot` of 1, 8 and 32 cores with the SKB (the skb domain on core
 * 0, the Module compiled by the machine, every monitor's routes) and without, alternated round by
 * round so the machine's load falls on both alike. Boot time is until `Machine.boot` returns, which
 * with the SKB is when every core has its routes. Goal: under 300 ms added.
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { Machine } from "@shoal/monitor";
import { swiplWasmPath } from "../src/engine/state.js";
import { packageRoot } from "../src/package-root.js";
import { fmt, median, type SuiteContext, type SuiteTable } from "./contract.js";

/** Boots with and without the SKB for each core count; the table and the JSON keys. */
export async function bootReport(
  ctx: SuiteContext,
): Promise<{ table: SuiteTable; json: Record<string, unknown> }> {
  const counts = ctx.quick ? [1, 8] : [1, 8, 32];
  const rounds = ctx.quick ? 1 : 3;
  const domain = join(packageRoot(), "domain", "skb.mjs");
  const wasm = swiplWasmPath();
  const withMs: Record<string, number> = {};
  const withoutMs: Record<string, number> = {};
  const skbStageMs: Record<string, number> = {};
  const rows: string[][] = [];
  const loads: string[] = [];
  for (const cores of counts) {
    const on: number[] = [];
    const off: number[] = [];
    const stage: number[] = [];
    let failed = 0;
    for (let r = 0; r < rounds; r++) {
      loads.push(loadavg()[0]?.toFixed(1) ?? "?");
      for (const skb of r % 2 === 0 ? [false, true] : [true, false]) {
        const machine = await Machine.boot({
          cores,
          memoryBytes: 64 * 2 ** 20,
          ...(skb ? { skb: { domain, wasm } } : {}),
        });
        try {
          (skb ? on : off).push(machine.bootMs.total);
          if (skb) {
            stage.push(machine.bootMs.skb ?? Number.NaN);
            failed += machine.skbBoot?.failed.length ?? cores;
          }
        } finally {
          await machine.halt();
        }
        ctx.log(
          `skb: boot ${cores} cores ${skb ? "with" : "without"} the SKB: ${fmt((skb ? on : off).at(-1) ?? 0, 0)} ms`,
        );
      }
    }
    const k = String(cores);
    withMs[k] = median(on);
    withoutMs[k] = median(off);
    skbStageMs[k] = median(stage);
    rows.push([
      k,
      fmt(median(off), 0),
      fmt(median(on), 0),
      fmt(median(on) - median(off), 0),
      fmt(median(stage), 0),
      failed === 0 ? "all" : `${failed} missing`,
    ]);
  }
  return {
    table: {
      title: `skb: boot with and without the SKB (median of ${rounds}, alternated; load average ${loads.join(", ")})`,
      columns: ["cores", "without ms (baseline)", "with ms", "added ms", "skb stage ms", "routes"],
      rows,
      notes: [
        "with: the skb domain starts on core 0 once it is up, the other cores power on meanwhile; boot returns when every monitor has its routes",
        "skb stage: from core 0 up to the last core's routes (engine start, facts, one skb.if query per core)",
        "goal: the SKB adds under 300 ms to boot",
      ],
    },
    json: { boot_with_skb_ms: withMs, boot_without_skb_ms: withoutMs, boot_skb_stage_ms: skbStageMs },
  };
}
