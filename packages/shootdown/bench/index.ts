/**
 * The shootdown benchmark suite (`pnpm bench shootdown [--quick] [--json FILE]`): each protocol's
 * latency against cores on the simulated 8x4-core AMD (2..32), on cores booted by @shoal/monitor here
 * (`real`: one shootdown domain per core, bound through the Domain API; 2PC as `twopc_real`) and on
 * plain worker threads without the OS (`real_workers`), two-phase commit latency and pipelined cost,
 * and Linux mprotect on this machine; SVG
 * charts in the style of the paper's Figures 6-8 with its Figure 6 values dashed beside ours.
 */

import { PROTOCOLS, type ProtocolName } from "@shoal/agreement";
import { loadBoard, SkbEngine } from "@shoal/skb";
import { runBooted } from "../src/booted/run-booted.js";
import { runRealShootdowns } from "../src/real/run-real.js";
import { routesFromSkb } from "../src/routes/skb-routes.js";
import { AMD_8X4_COSTS } from "../src/sim/cost-model.js";
import { simulateShootdowns, simulateTwoPc } from "../src/sim/run.js";
import { runRetypeBench } from "../src/vspace/run-retype.js";
import { runUnmapBench } from "../src/vspace/run-unmap.js";
import { measureMprotect } from "./mprotect.js";
import { PAPER_FIGURE_6 } from "./paper.js";
import { type Chart, chartsSvg, type Series } from "./svg.js";

/** What the runner passes. */
export interface SuiteContext {
  readonly quick: boolean;
  log(line: string): void;
  readonly only?: readonly string[];
}
/** One printed table. */
export interface SuiteTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly notes?: readonly string[];
}
/** A suite's result. */
export interface SuiteReport {
  readonly tables: readonly SuiteTable[];
  readonly json: Readonly<Record<string, unknown>>;
  readonly svg?: string;
}
/** A benchmark suite. */
export interface BenchSuite {
  readonly name: string;
  readonly title: string;
  readonly parts?: { readonly noun: string; readonly names: readonly string[] };
  run(ctx: SuiteContext): Promise<SuiteReport>;
}

const COLORS: Record<ProtocolName, string> = {
  broadcast: "#d62728",
  unicast: "#1f77b4",
  multicast: "#2ca02c",
  numa_multicast: "#9467bd",
};
const PARTS = ["simulated", "twopc", "real", "workers", "endtoend", "retype", "mprotect"] as const;
const us = (ns: number) => ns / 1000;
const f1 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? "-" : v.toFixed(2));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** The 10th percentile: what a round costs when no core was descheduled (the machine is shared). */
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
const p10 = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 10)] ?? Number.NaN;

async function run(ctx: SuiteContext): Promise<SuiteReport> {
  const want = (p: string) => ctx.only === undefined || ctx.only.includes(p);
  const engine = await SkbEngine.start();
  loadBoard(engine, "amd-8x4");
  const tables: SuiteTable[] = [];
  const charts: Chart[] = [];
  const json: Record<string, Record<string, unknown>> = {};
  const kcyc = (ns: number) => (ns * AMD_8X4_COSTS.ghz) / 1000;

  const simCores = ctx.quick ? [2, 4, 8, 16, 24, 32] : [2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32];
  if (want("simulated")) {
    const sim: Record<string, Record<string, number>> = {};
    for (const p of PROTOCOLS) {
      sim[p] = {};
      for (const n of simCores) {
        const r = simulateShootdowns(routesFromSkb(engine, p, range(n)), {
          ops: ctx.quick ? 8 : 32,
          seed: n,
        });
        (sim[p] as Record<string, number>)[n] = +us(r.medianNs).toFixed(3);
      }
    }
    json.simulated = sim;
    const at = (p: ProtocolName, n: number) => sim[p]?.[n] ?? Number.NaN;
    tables.push({
      title: "Simulated 8x4-core AMD: TLB shootdown latency (µs; kilocycles at 2.5 GHz)",
      columns: ["cores", ...PROTOCOLS],
      rows: simCores.map((n) => [
        String(n),
        ...PROTOCOLS.map((p) => `${f1(at(p, n))} (${kcyc(at(p, n) * 1000).toFixed(1)}k)`),
      ]),
      notes: [
        `at 32 cores NUMA-aware multicast is ${(at("unicast", 32) / at("numa_multicast", 32)).toFixed(2)}x faster than unicast (goal 2x) and ${(at("broadcast", 32) / at("numa_multicast", 32)).toFixed(2)}x than broadcast (goal 4x)`,
        "cost model: Table 2 latencies 538/613/618(/623) cycles by hops, 180+181 cycles per message, broadcast line read serially (docs/shootdown.md)",
      ],
    });
    const series: Series[] = [];
    for (const p of PROTOCOLS) {
      series.push({
        label: p,
        color: COLORS[p],
        points: simCores.map((n) => [n, kcyc(at(p, n) * 1000)] as const),
      });
    }
    for (const p of PROTOCOLS) {
      series.push({
        label: `${p} (paper, approx.)`,
        color: COLORS[p],
        dashed: true,
        points: PAPER_FIGURE_6[p],
      });
    }
    charts.push({
      title: "Fig. 6: shootdown, simulated 8x4 AMD",
      xLabel: "cores",
      yLabel: "latency (cycles x 1000)",
      series,
    });
  }

  if (want("twopc")) {
    const tp: Record<string, number> = {};
    const pipe: Record<string, number> = {};
    for (const n of simCores) {
      const r = simulateTwoPc(routesFromSkb(engine, "numa_multicast", range(n)), { ops: ctx.quick ? 8 : 32 });
      tp[n] = +us(r.medianNs).toFixed(3);
      pipe[n] = +us(r.pipelinedNsPerOp).toFixed(3);
    }
    json.twopc = tp;
    json.twopc_pipelined = pipe;
    tables.push({
      title: "Simulated 8x4-core AMD: two-phase commit over NUMA-aware multicast (µs per operation)",
      columns: ["cores", "latency", "pipelined cost", "kcycles (latency / pipelined)"],
      rows: simCores.map((n) => [
        String(n),
        f1(tp[n]),
        f1(pipe[n]),
        `${kcyc((tp[n] ?? 0) * 1000).toFixed(1)} / ${kcyc((pipe[n] ?? 0) * 1000).toFixed(1)}`,
      ]),
      notes: ["pipelined: operations on distinct objects started back to back; total time over their number"],
    });
    charts.push({
      title: "Fig. 8: two-phase commit, simulated",
      xLabel: "cores",
      yLabel: "cycles x 1000 per operation",
      series: [
        {
          label: "latency",
          color: "#1f77b4",
          points: simCores.map((n) => [n, kcyc((tp[n] ?? 0) * 1000)] as const),
        },
        {
          label: "pipelined cost",
          color: "#ff7f0e",
          points: simCores.map((n) => [n, kcyc((pipe[n] ?? 0) * 1000)] as const),
        },
      ],
    });
  }

  const realCores = ctx.quick ? [2, 4, 8] : [2, 4, 8, 16];
  const real: Record<string, Record<string, number>> = {};
  if (want("real")) {
    const twopcReal: Record<string, number> = {};
    const realP10: Record<string, Record<string, number>> = {};
    const boot: Record<string, number> = {};
    for (const [k, n] of realCores.entries()) {
      // The protocols take turns going first: the first run after a quiet spell is not favoured.
      for (const p of PROTOCOLS.map((_, i) => PROTOCOLS[(i + k) % PROTOCOLS.length] as ProtocolName)) {
        real[p] ??= {};
        const r = await runBooted(routesFromSkb(engine, p, range(n)), {
          ops: ctx.quick ? 20 : 100,
          warmup: ctx.quick ? 10 : 30,
          timeoutMs: 30_000,
        });
        if (r.error) ctx.log(`real ${p} ${n}: ${r.error.code} ${r.error.message}`);
        (real[p] as Record<string, number>)[n] = +us(r.medianNs).toFixed(2);
        realP10[p] ??= {};
        (realP10[p] as Record<string, number>)[n] = +us(p10(r.latenciesNs)).toFixed(2);
        boot[n] = +r.bootMs.toFixed(0);
      }
      const t = await runBooted(routesFromSkb(engine, "numa_multicast", range(n)), {
        mode: "twopc",
        ops: ctx.quick ? 20 : 100,
        warmup: ctx.quick ? 10 : 30,
        timeoutMs: 30_000,
      });
      if (t.error) ctx.log(`twopc_real ${n}: ${t.error.code} ${t.error.message}`);
      twopcReal[n] = +us(t.medianNs).toFixed(2);
      ctx.log(`booted ${n} cores done`);
    }
    json.real = real;
    json.twopc_real = twopcReal;
    json.real_p10 = realP10;
    tables.push({
      title:
        "Booted cores (Machine.boot, one shootdown domain per core, bound through the Domain API): latency (µs, median (p10))",
      columns: ["cores", ...PROTOCOLS, "2PC (numa_multicast)", "boot (ms)"],
      rows: realCores.map((n) => [
        String(n),
        ...PROTOCOLS.map((p) => `${f1(real[p]?.[n])} (${f1(realP10[p]?.[n])})`),
        f1(twopcReal[n]),
        String(boot[n] ?? "-"),
      ]),
      notes: [
        "routes of the first N cores of the 8x4 AMD board; messages are shootdown.if over urpc bindings between domains",
        "broadcast on booted cores sends one message per receiver (no shared line in the Domain API): see docs/shootdown.md",
        "this machine has 2 CPUs shared with other work: above 2 cores the cores time-share, and most of the latency is dispatchers waking",
      ],
    });
    charts.push({
      title: "Shootdown on booted cores (this machine)",
      xLabel: "cores",
      yLabel: "latency (µs)",
      series: PROTOCOLS.map((p) => ({
        label: p,
        color: COLORS[p],
        points: realCores.map((n) => [n, real[p]?.[n] ?? Number.NaN] as const),
      })),
    });
  }

  if (want("workers")) {
    const workers: Record<string, Record<string, number>> = {};
    for (const p of PROTOCOLS) {
      workers[p] = {};
      for (const n of realCores) {
        const r = await runRealShootdowns(routesFromSkb(engine, p, range(n)), {
          ops: ctx.quick ? 20 : 60,
          warmup: 5,
          timeoutMs: 30_000,
        });
        if (r.error) ctx.log(`real_workers ${p} ${n}: ${r.error.code} ${r.error.message}`);
        (workers[p] as Record<string, number>)[n] = +us(r.medianNs).toFixed(2);
      }
    }
    json.real_workers = workers;
    tables.push({
      title:
        "Plain worker threads (no OS: one worker per core, the package's own mesh in shared memory): shootdown latency (µs, median)",
      columns: ["cores", ...PROTOCOLS],
      rows: realCores.map((n) => [String(n), ...PROTOCOLS.map((p) => f1(workers[p]?.[n]))]),
      notes: [
        "the same protocol code without the OS: a baseline for the booted rows (broadcast here has a real shared line)",
      ],
    });
  }

  // End-to-end unmap and protect from libshoal: the monitors' shootdown (numa_multicast routes from
  // the SKB, given at boot) for a domain with a dispatcher on every core.
  const unmap: Record<string, number> = {};
  const protect: Record<string, number> = {};
  if (want("endtoend")) {
    const unmapP10: Record<string, number> = {};
    const protectP10: Record<string, number> = {};
    const byProtocol: Record<string, Record<string, number>> = {};
    const protectByProtocol: Record<string, Record<string, number>> = {};
    // --quick measures NUMA-aware multicast only (the keys the issue names); a full run every protocol.
    const protocols: readonly ProtocolName[] = ctx.quick ? ["numa_multicast"] : PROTOCOLS;
    for (const [k, n] of realCores.entries()) {
      for (const p of protocols.map((_, i) => protocols[(i + k) % protocols.length] as ProtocolName)) {
        const r = await runUnmapBench(routesFromSkb(engine, p, range(n)), {
          ops: ctx.quick ? 20 : 100,
          warmup: ctx.quick ? 5 : 20,
          timeoutMs: 120_000,
        });
        if (r.error) ctx.log(`unmap ${p} ${n}: ${r.error}`);
        byProtocol[p] ??= {};
        protectByProtocol[p] ??= {};
        (byProtocol[p] as Record<string, number>)[n] = +us(median(r.unmapNs)).toFixed(2);
        (protectByProtocol[p] as Record<string, number>)[n] = +us(median(r.protectNs)).toFixed(2);
        if (p !== "numa_multicast") continue;
        unmap[n] = +us(median(r.unmapNs)).toFixed(2);
        protect[n] = +us(median(r.protectNs)).toFixed(2);
        unmapP10[n] = +us(p10(r.unmapNs)).toFixed(2);
        protectP10[n] = +us(p10(r.protectNs)).toFixed(2);
      }
      ctx.log(`end-to-end ${n} cores done`);
    }
    json.unmap = unmap;
    json.protect = protect;
    json.unmap_p10 = unmapP10;
    json.protect_p10 = protectP10;
    json.unmap_by_protocol = byProtocol;
    json.protect_by_protocol = protectByProtocol;
    tables.push({
      title:
        "End-to-end vspace.unmap / vspace.protect from libshoal on booted cores, shot down by the monitors over numa_multicast (µs, median (p10))",
      columns: ["cores", "unmap", "protect", "raw numa_multicast (domains)", "unmap / raw"],
      rows: realCores.map((n) => [
        String(n),
        `${f1(unmap[n])} (${f1(unmapP10[n])})`,
        `${f1(protect[n])} (${f1(protectP10[n])})`,
        f1(real.numa_multicast?.[n]),
        real.numa_multicast?.[n] === undefined ? "-" : f1((unmap[n] ?? Number.NaN) / real.numa_multicast[n]),
      ]),
      notes: [
        "a domain spanning every core (a dispatcher per core); routes of the first N cores of the 8x4 AMD board, from the SKB, passed at boot",
        "unmap: page-table edit on the home core, then one round of @shoal/agreement over intermon; each core drops the page from its TLB (invalidateRange) and acks",
        "raw: the same protocol between user domains (the `real` part); '-' when that part was not run",
      ],
    });
    if (protocols.length > 1)
      tables.push({
        title: "End-to-end vspace.unmap by the monitors' protocol (µs, median; protect in brackets)",
        columns: ["cores", ...protocols],
        rows: realCores.map((n) => [
          String(n),
          ...protocols.map((p) => `${f1(byProtocol[p]?.[n])} (${f1(protectByProtocol[p]?.[n])})`),
        ]),
        notes: ["broadcast between monitors writes one message per receiver (intermon has no shared line)"],
      });
  }

  // Retype of a cap with copies on every core from libshoal: the monitors' two-phase commit
  // (monitor/src/capops/retype-2pc.ts) over numa_multicast routes from the SKB, given at boot.
  if (want("retype")) {
    const os: Record<string, number> = {};
    const osP10: Record<string, number> = {};
    const osPipe: Record<string, number> = {};
    for (const n of realCores) {
      const r = await runRetypeBench(routesFromSkb(engine, "numa_multicast", range(n)), {
        ops: ctx.quick ? 20 : 100,
        warmup: ctx.quick ? 5 : 20,
        timeoutMs: 120_000,
      });
      if (r.error) ctx.log(`twopc_os ${n}: ${r.error}`);
      os[n] = +us(median(r.retypeNs)).toFixed(2);
      osP10[n] = +us(p10(r.retypeNs)).toFixed(2);
      osPipe[n] = +us(r.pipelinedNs).toFixed(2);
      ctx.log(`retype ${n} cores done`);
    }
    json.twopc_os = os;
    json.twopc_os_p10 = osP10;
    json.twopc_os_pipelined = osPipe;
    const twopcReal = json.twopc_real as Record<string, number> | undefined;
    tables.push({
      title:
        "End-to-end caps.retype of a cap with a copy on every core, by the monitors' two-phase commit over numa_multicast (µs, median (p10); pipelined: per retype of distinct objects issued at once)",
      columns: ["cores", "retype (2PC)", "pipelined", "raw 2PC (domains)"],
      rows: realCores.map((n) => [
        String(n),
        `${f1(os[n])} (${f1(osP10[n])})`,
        f1(osPipe[n]),
        f1(twopcReal?.[n]),
      ]),
      notes: [
        "a Frame sent to a holder domain on every other core, retyped page by page from core 0; each retype: kernel check, prepare + commit rounds over intermon, kernel retype",
        "raw: @shoal/agreement's 2PC between user domains (the `real` part's twopc_real); '-' when that part was not run",
      ],
    });
  }

  if (want("mprotect")) {
    const threads = ctx.quick ? [1, 2, 4] : [1, 2, 4, 8, 16];
    try {
      const points = measureMprotect(threads, ctx.quick ? 200 : 1000);
      const mp: Record<string, number> = {};
      for (const pt of points) mp[pt.threads] = +us(pt.medianNs).toFixed(3);
      json.mprotect = mp;
      tables.push({
        title: "Linux mprotect on this machine: a page touched by N threads (µs)",
        columns: [
          "threads",
          "median",
          "p90",
          "shoal numa_multicast, booted cores",
          "shoal protect (end-to-end)",
          "shoal unmap (end-to-end)",
        ],
        rows: points.map((pt) => [
          String(pt.threads),
          f1(us(pt.medianNs)),
          f1(us(pt.p90Ns)),
          f1(real.numa_multicast?.[pt.threads]),
          f1(protect[pt.threads]),
          f1(unmap[pt.threads]),
        ]),
        notes: [
          "native/mprotect-bench.c built with cc into a temporary directory; shoal's columns: the raw protocol between domains, and protect/unmap from libshoal through the monitors (N cores = N threads)",
        ],
      });
      charts.push({
        title: "Fig. 7: Linux mprotect vs shoal (this machine)",
        xLabel: "cores / threads",
        yLabel: "latency (µs)",
        series: [
          {
            label: "Linux mprotect",
            color: "#8c564b",
            points: points.map((pt) => [pt.threads, us(pt.medianNs)] as const),
          },
          {
            label: "shoal numa_multicast",
            color: COLORS.numa_multicast,
            points: realCores.map((n) => [n, real.numa_multicast?.[n] ?? Number.NaN] as const),
          },
          {
            label: "shoal protect (end-to-end)",
            color: "#17becf",
            points: realCores.map((n) => [n, protect[n] ?? Number.NaN] as const),
          },
        ],
      });
    } catch (e) {
      ctx.log(`mprotect baseline skipped: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { tables, json, ...(charts.length > 0 ? { svg: chartsSvg(charts) } : {}) };
}

/** The shootdown suite. */
export const suite: BenchSuite = {
  name: "shootdown",
  title: "TLB shootdown and two-phase commit (the paper's Figures 6-8)",
  parts: { noun: "part", names: PARTS },
  run,
};
