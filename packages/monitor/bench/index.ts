/**
 * The kernel suite, `pnpm bench kernel`: the booted OS measured against the bare runtime in the same
 * run. The paper's Table 1 analogue (one-way LRPC between two user domains on one core, through the CPU
 * driver's upcalls) and Table 2's (URPC one way and pipelined between domains on two cores, over a
 * channel the monitors set up in physical memory), cross-core bind and spawn time, and boot time by
 * core count. docs/kernel.md explains the figures.
 */
import { fileURLToPath } from "node:url";
import { Machine } from "@shoal/monitor";
import { built } from "./built.js";
import type { BenchSuite, SuiteContext, SuiteReport, SuiteTable } from "./contract.js";
import { median } from "./loops.js";
import { rawLrpc, rawUrpc } from "./raw.js";

export type { BenchSuite, SuiteContext, SuiteReport, SuiteTable } from "./contract.js";

const fmt = (x: number, digits = 0): string => (Number.isFinite(x) ? x.toFixed(digits) : "-");
const rate = (x: number): string =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)} M/s` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k/s` : `${x.toFixed(0)}/s`;

/** A booted 2-core system with the two ping-pong services, and a way to run the measuring domain. */
class Bench2 {
  readonly #waiting = new Map<string, (fields: Record<string, unknown>) => void>();
  #machine: Machine | null = null;
  #tags = 0;

  async boot(): Promise<void> {
    this.#machine = await Machine.boot({
      cores: 2,
      console: (line) => {
        const at = line.indexOf("BENCH ");
        if (at < 0) return;
        const fields = JSON.parse(line.slice(at + 6)) as Record<string, unknown>;
        this.#waiting.get(String(fields.tag))?.(fields);
      },
    });
    await this.#machine.spawn(fileURLToPath(built("domains/kb-server.js")), { core: 0, args: ["kb-near"] });
    await this.#machine.spawn(fileURLToPath(built("domains/kb-server.js")), { core: 1, args: ["kb-far"] });
  }

  /** Runs kb-client on core 0 with `mode`, `target`, `count`; resolves with its BENCH fields. */
  async client(mode: string, target: string, count: number, warmMs = 0): Promise<Record<string, unknown>> {
    const m = this.#machine;
    if (m === null) throw new Error("not booted");
    const tag = `t${this.#tags++}`;
    const fields = new Promise<Record<string, unknown>>((resolve) => this.#waiting.set(tag, resolve));
    const child = await m.spawn(fileURLToPath(built("domains/kb-client.js")), {
      core: 0,
      args: [mode, tag, target, String(count), String(warmMs)],
    });
    const code = await child.exited;
    if (code !== 0) throw new Error(`kb-client ${mode} ${target} exited with ${code}`);
    const f = await fields;
    this.#waiting.delete(tag);
    return f;
  }

  async halt(): Promise<void> {
    await this.#machine?.halt();
    this.#machine = null;
  }
}

/** Boot time by core count: the median of `runs` boots (each halted) per count. */
async function bootTimes(
  ctx: SuiteContext,
  counts: readonly number[],
  runs: number,
): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (const n of counts) {
    const ms: number[] = [];
    for (let r = 0; r < runs; r++) {
      const m = await Machine.boot({ cores: n });
      ms.push(m.bootMs.total);
      await m.halt();
    }
    out.set(n, ms);
    ctx.log(`boot: ${n} cores ${ms.map((x) => x.toFixed(0)).join(", ")} ms`);
  }
  return out;
}

/** How much the suite measures. */
export interface KernelBenchSizes {
  readonly rounds: number;
  readonly oneway: number;
  readonly pipelined: number;
  readonly bind: number;
  readonly spawn: number;
  /** Warm-up of each messaging measurement (ms). */
  readonly warmMs: number;
  readonly bootCounts: readonly number[];
  readonly bootRuns: number;
}

/** The sizes of a full run, or of `--quick`. */
export function kernelBenchSizes(quick: boolean): KernelBenchSizes {
  return quick
    ? {
        rounds: 1,
        oneway: 5_000,
        pipelined: 20_000,
        bind: 10,
        spawn: 10,
        warmMs: 250,
        bootCounts: [1, 2, 8, 64],
        bootRuns: 1,
      }
    : {
        rounds: 3,
        oneway: 20_000,
        pipelined: 100_000,
        bind: 30,
        spawn: 30,
        warmMs: 400,
        bootCounts: [1, 2, 4, 8, 16, 32, 64],
        bootRuns: 3,
      };
}

/** Runs the suite with `n` (the tests run it small). */
export async function runKernelBench(ctx: SuiteContext, n: KernelBenchSizes): Promise<SuiteReport> {
  const rounds = n.rounds;
  const samples = {
    lrpc: [] as number[],
    rawLrpc: [] as number[],
    urpc: [] as number[],
    rawUrpc: [] as number[],
    pipe: [] as number[],
    rawPipe: [] as number[],
  };
  let bindMs = Number.NaN;
  let spawnMs = Number.NaN;
  let spawnExitMs = Number.NaN;
  let invokeNs = Number.NaN;
  let lrpcTransport = "";
  let urpcTransport = "";
  const sys = new Bench2();
  // Raw and OS rounds alternate, so that a change of load hits both sides.
  for (let r = 0; r < rounds; r++) {
    samples.rawLrpc.push(await rawLrpc("oneway", n.oneway, n.warmMs));
    samples.rawUrpc.push(await rawUrpc("oneway", n.oneway, n.warmMs));
    samples.rawPipe.push(await rawUrpc("pipelined", n.pipelined, n.warmMs));
    await sys.boot();
    try {
      const near = await sys.client("oneway", "kb-near", n.oneway, n.warmMs);
      samples.lrpc.push(near.oneway_ns as number);
      lrpcTransport = String(near.transport);
      const far = await sys.client("oneway", "kb-far", n.oneway, n.warmMs);
      samples.urpc.push(far.oneway_ns as number);
      urpcTransport = String(far.transport);
      samples.pipe.push(
        (await sys.client("pipelined", "kb-far", n.pipelined, n.warmMs)).msgs_per_s as number,
      );
      if (r === 0) {
        bindMs = (await sys.client("bind", "kb-far", n.bind)).bind_ms as number;
        const s = await sys.client("spawn", "1", n.spawn);
        spawnMs = s.spawn_ms as number;
        spawnExitMs = s.spawn_exit_ms as number;
        invokeNs = (await sys.client("invoke", "-", n.oneway * 10, n.warmMs)).invoke_ns as number;
      }
    } finally {
      await sys.halt();
    }
    ctx.log(`round ${r + 1}/${rounds} done`);
  }
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<
    keyof typeof samples,
    number
  >;
  const boots = await bootTimes(ctx, n.bootCounts, n.bootRuns);

  const messaging: SuiteTable = {
    title: "kernel: messaging between domains vs the bare runtime (same stubs, same loops, same run)",
    columns: ["path", "through the OS", "raw runtime", "OS / raw"],
    rows: [
      [
        `one-way, same core (${lrpcTransport}, Table 1)`,
        `${fmt(m.lrpc)} ns`,
        `${fmt(m.rawLrpc)} ns`,
        fmt(m.lrpc / m.rawLrpc, 2),
      ],
      [
        `one-way, cores 0-1 (${urpcTransport}, Table 2)`,
        `${fmt(m.urpc)} ns`,
        `${fmt(m.rawUrpc)} ns`,
        fmt(m.urpc / m.rawUrpc, 2),
      ],
      ["pipelined, cores 0-1 (16 in flight)", rate(m.pipe), rate(m.rawPipe), fmt(m.rawPipe / m.pipe, 2)],
    ],
    notes: [
      `One way = ping-pong round trip / 2, ${n.oneway} round trips after ${n.warmMs} ms of warm-up; pipelined: ${n.pipelined} pings answered after the same.`,
      `Medians of ${rounds} round(s); raw and OS alternate within each round. OS / raw for pipelined is raw rate / OS rate (higher is worse).`,
      "Raw lrpc: both ends in one worker. Raw urpc: two workers over connectPair. Through the OS: domains spawned by the monitors, bound by name.",
    ],
  };
  const ops: SuiteTable = {
    title: "kernel: operations",
    columns: ["operation", "median"],
    rows: [
      ["cross-core bind (lookup done; bind + handshake)", `${fmt(bindMs, 3)} ms`],
      ["spawn on another core (until its main runs)", `${fmt(spawnMs, 3)} ms`],
      ["spawn on another core, until it has exited", `${fmt(spawnExitMs, 3)} ms`],
      ["capability invocation (identify a Frame cap, from a domain)", `${fmt(invokeNs, 1)} ns`],
    ],
    notes: [`Medians of ${n.bind} binds and ${n.spawn} spawns from a domain on core 0.`],
  };
  const boot: SuiteTable = {
    title: "kernel: boot time (Machine.boot until every core's monitor is up)",
    columns: ["cores", "median ms", "runs"],
    rows: [...boots].map(([c, ms]) => [String(c), fmt(median(ms)), ms.map((x) => x.toFixed(0)).join(", ")]),
    notes: ["Every core is a worker thread; on a 2-CPU machine most of a big boot is Node starting workers."],
  };
  return {
    tables: [messaging, ops, boot],
    json: {
      lrpc: { oneway_ns: m.lrpc, raw_oneway_ns: m.rawLrpc },
      urpc: { oneway_ns: m.urpc, raw_oneway_ns: m.rawUrpc, msgs_per_s: m.pipe, raw_msgs_per_s: m.rawPipe },
      bind_ms: bindMs,
      spawn_ms: spawnMs,
      invoke_ns: invokeNs,
      boot_ms: Object.fromEntries([...boots].map(([c, ms]) => [String(c), median(ms)])),
    },
  };
}

/** The kernel suite. */
export const suite: BenchSuite = {
  name: "kernel",
  title: "the booted OS: LRPC and URPC between domains, bind, spawn, boot",
  run: (ctx) => runKernelBench(ctx, kernelBenchSizes(ctx.quick)),
};
