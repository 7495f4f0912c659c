/**
 * The skb benchmark suite: engine start, facts loaded per second, and the multicast-tree query for
 * every root at 4 to 128 cores (synthetic boards) and on the paper's 8x4 AMD board (goal: all 32
 * roots under 5 ms). The baseline, measured in the same run, is the cost of one empty query (one
 * crossing into the engine and back).
 */

import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { boardFileText, loadBoard, loadBoardSpec } from "../src/boards/boards.js";
import { boardFacts } from "../src/boards/spec.js";
import { syntheticBoard } from "../src/boards/synthetic.js";
import { type EngineOptions, SkbEngine, type StartProfile } from "../src/engine/engine.js";
import { swiplWasmPath } from "../src/engine/state.js";
import { ensureSkbPrograms } from "../src/programs.js";
import { multicastAllRoots } from "../src/queries/multicast.js";
import { bootReport } from "./boot.js";
import {
  type BenchSuite,
  fmt,
  median,
  quantile,
  type SuiteContext,
  type SuiteReport,
  timeRounds,
} from "./contract.js";
import { rttReport } from "./rtt.js";

export type { BenchSuite, SuiteContext, SuiteReport, SuiteTable } from "./contract.js";

const CORE_COUNTS = [4, 8, 16, 32, 64, 128] as const;

interface StartRow {
  readonly how: string;
  readonly ms: number[];
  readonly cpuMs: number[];
  readonly profiles: StartProfile[];
}

/**
 * Engine starts three ways, alternated so the machine's load hits them alike: the plain way (full
 * bundle, consult the programs), restoring the saved state (compiling the wasm here), and restoring
 * it with a Module compiled beforehand (what the skb domain gets at boot). CPU time is the process's
 * (it includes V8's background compile threads), less sensitive to other processes than wall time.
 */
async function engineStarts(
  ctx: SuiteContext,
  starts: number,
): Promise<{ rows: StartRow[]; engine: SkbEngine }> {
  const wasm = (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<object> } })
    .WebAssembly;
  const module = await wasm.compile(readFileSync(swiplWasmPath()));
  const ways: [string, EngineOptions][] = [
    ["plain (bundle with library data, consult runtime + 6 programs)", { savedState: false }],
    ["saved state (bundle without data, -x, compile wasm here)", {}],
    ["saved state + wasm Module compiled beforehand", { wasmModule: module }],
  ];
  const rows: StartRow[] = ways.map(([how]) => ({ how, ms: [], cpuMs: [], profiles: [] }));
  let engine: SkbEngine | undefined;
  for (let i = 0; i < starts; i++) {
    for (const [w, [how, options]] of ways.entries()) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      engine = await SkbEngine.start(options);
      ensureSkbPrograms(engine);
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const row = rows[w] as StartRow;
      row.ms.push(ms);
      row.cpuMs.push((c.user + c.system) / 1000);
      row.profiles.push(engine.startProfile);
      ctx.log(
        `skb: engine start ${i + 1}/${starts}, ${how}: ${fmt(ms)} ms, cpu ${fmt((c.user + c.system) / 1000)} ms`,
      );
    }
  }
  return { rows, engine: engine as SkbEngine };
}

async function run(ctx: SuiteContext): Promise<SuiteReport> {
  const rounds = ctx.quick ? 5 : 30;
  const { rows: startRows, engine } = await engineStarts(ctx, ctx.quick ? 2 : 5);
  const [plainRow, savedRow, preRow] = startRows as [StartRow, StartRow, StartRow];
  const startMs = savedRow.ms;
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(" ");

  // Facts: the 128-core synthetic board, asserted in one call and consulted as a file's text.
  const spec = syntheticBoard(32);
  const facts = boardFacts(spec);
  const text = boardFileText(spec);
  const assertMs = timeRounds(() => loadBoardSpec(engine, spec), ctx.quick ? 3 : 10, 1);
  const consultMs = timeRounds(
    () => {
      engine.query("skb_clear_facts");
      engine.consult("bench-board.pl", text);
    },
    ctx.quick ? 3 : 10,
    1,
  );
  // loadBoardSpec also derives the modelled round trips; time the assert alone once more.
  const assertOnlyMs = timeRounds(
    () => {
      engine.query("skb_clear_facts");
      engine.assertFacts(facts);
    },
    ctx.quick ? 3 : 10,
    1,
  );
  const factsPerS = facts.length / (median(assertOnlyMs) / 1000);
  const consultPerS = facts.length / (median(consultMs) / 1000);

  const emptyMs = timeRounds(() => engine.query("true"), rounds * 10, 10);

  const mc: Record<string, number> = {};
  const prep: Record<string, number> = {};
  const mcRows: string[][] = [];
  for (const cores of CORE_COUNTS) {
    loadBoardSpec(engine, syntheticBoard(cores / 4));
    const ms = timeRounds(() => multicastAllRoots(engine), rounds);
    const prepMs = timeRounds(() => engine.query("skb_prepare"), ctx.quick ? 2 : 5, 1);
    mc[String(cores)] = median(ms);
    prep[String(cores)] = median(prepMs);
    mcRows.push([
      String(cores),
      `synthetic ${cores / 4}x4`,
      fmt(median(prepMs), 2),
      fmt(median(ms), 3),
      fmt(quantile(ms, 0.99), 3),
      fmt((median(ms) * 1000) / cores, 1),
    ]);
    ctx.log(`skb: multicast all roots, ${cores} cores: ${fmt(median(ms), 3)} ms`);
  }
  loadBoard(engine, "amd-8x4");
  const amd = timeRounds(() => multicastAllRoots(engine), rounds);
  const amdPrep = timeRounds(() => engine.query("skb_prepare"), ctx.quick ? 2 : 5, 1);
  mcRows.push([
    "32",
    "amd-8x4 (paper)",
    fmt(median(amdPrep), 2),
    fmt(median(amd), 3),
    fmt(quantile(amd, 0.99), 3),
    fmt((median(amd) * 1000) / 32, 1),
  ]);

  const boot = await bootReport(ctx);
  const rtt = await rttReport(ctx, engine);

  return {
    tables: [
      {
        title: `skb: engine start (median of ${startMs.length}; load average at the start ${load})`,
        columns: ["how", "wall ms", "cpu ms", "compile ms", "swipl ms", "runtime ms"],
        rows: startRows.map((r) => [
          r.how,
          fmt(median(r.ms)),
          fmt(median(r.cpuMs)),
          fmt(median(r.profiles.map((p) => p.compileMs))),
          fmt(median(r.profiles.map((p) => p.swiplMs))),
          fmt(median(r.profiles.map((p) => p.runtimeMs))),
        ]),
        notes: [
          `first (cold) starts, wall / cpu ms: ${startRows.map((r) => `${fmt(r.ms[0] ?? 0, 0)} / ${fmt(r.cpuMs[0] ?? 0, 0)}`).join(", ")} (the medians above are warm: V8 keeps compiled code within a process)`,
          "swipl: loading swipl-wasm's JavaScript, instantiating and initialising Prolog (restoring the state)",
          "runtime: loading the SKB runtime and the programs (plain) or re-arming the limits (state)",
        ],
      },
      {
        title: "skb: engine and facts",
        columns: ["what", "median", "unit"],
        rows: [
          ["engine start (saved state, the default)", fmt(median(startMs)), "ms"],
          [`assert ${facts.length} facts (128-core board)`, fmt(median(assertOnlyMs)), "ms"],
          ["facts asserted per second", fmt(factsPerS, 0), "facts/s"],
          ["facts consulted per second (board file text)", fmt(consultPerS, 0), "facts/s"],
          ["load a board spec (assert + prepare + modelled RTTs)", fmt(median(assertMs)), "ms"],
          ["baseline: one empty query (a crossing into the engine)", fmt(median(emptyMs) * 1000, 1), "µs"],
        ],
      },
      {
        title: "skb: multicast tree for every root (one query, decoded to TypeScript)",
        columns: ["cores", "board", "prepare ms", "all roots ms", "p99 ms", "µs per root"],
        rows: mcRows,
        notes: [
          "prepare: the derived tables (groups, round-trip table, every core's plan), built once when the facts change",
          "all roots: one query answering every root's tree on prepared tables, decoded to TypeScript",
          `goal: all 32 roots of amd-8x4 under 5 ms: query ${fmt(median(amd), 3)} ms, ` +
            `prepare + query ${fmt(median(amd) + median(amdPrep), 2)} ms: ${median(amd) + median(amdPrep) < 5 ? "met" : median(amd) < 5 ? "met by the query, not with the preparation" : "NOT met"}`,
        ],
      },
      boot.table,
      rtt.table,
    ],
    json: {
      engine_start_ms: median(startMs),
      engine_start_cpu_ms: median(savedRow.cpuMs),
      // The first start of each way in this process (cold: its JavaScript not yet compiled by V8).
      engine_start_first_ms: {
        plain: plainRow.ms[0],
        saved_state: savedRow.ms[0],
        saved_state_preloaded_module: preRow.ms[0],
      },
      engine_start_first_cpu_ms: {
        plain: plainRow.cpuMs[0],
        saved_state: savedRow.cpuMs[0],
        saved_state_preloaded_module: preRow.cpuMs[0],
      },
      engine_start_plain_ms: median(plainRow.ms),
      engine_start_plain_cpu_ms: median(plainRow.cpuMs),
      engine_start_preloaded_module_ms: median(preRow.ms),
      engine_start_preloaded_module_cpu_ms: median(preRow.cpuMs),
      facts_per_s: factsPerS,
      facts_consulted_per_s: consultPerS,
      empty_query_us: median(emptyMs) * 1000,
      multicast_all_roots_ms: mc,
      multicast_all_roots_amd_8x4_ms: median(amd),
      multicast_prepare_ms: prep,
      ...boot.json,
      ...rtt.json,
      multicast_prepare_amd_8x4_ms: median(amdPrep),
    },
  };
}

/** The skb suite. */
export const suite: BenchSuite = {
  name: "skb",
  title: "system knowledge base: engine, facts, multicast-tree queries",
  run,
};
