/**
 * The "shoal OS" rows of the threads bench: the same regions run as dispatchers of booted cores (the
 * OS executor, src/os/): the master domain on core 0 spanning a member dispatcher to each other
 * core, the team's memory in frames mapped once and seen through each core's MMU. One machine is
 * booted per team size and repetition, runs that repetition's jobs back to back, and is halted.
 */
import { fileURLToPath } from "node:url";
import { Machine } from "@shoal/monitor";
import { builtModule } from "../src/built.js";
import type { CgResult, FtResult, IsResult, NasClass } from "../src/index.js";
import { cgLayout, ftLayout, isLayout } from "../src/index.js";
import type { OsJob } from "../src/os/index.js";
import { runOnOs } from "../src/os/index.js";
import type { SuiteContext } from "./contract.js";

const REGIONS = new URL("./regions.js", import.meta.url).href;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Kernels the OS rows run, at class S. */
export const OS_KERNELS = ["cg", "ft", "is"] as const;
type Kernel = (typeof OS_KERNELS)[number];
const REGION: Record<Kernel, { module: string; name: string; bytes(t: number): number }> = {
  cg: { module: "nas/cg.js", name: "cgRegion", bytes: () => cgLayout("S").bytes },
  ft: { module: "nas/ft.js", name: "ftRegion", bytes: () => ftLayout("S").bytes },
  is: { module: "nas/is.js", name: "isRegion", bytes: (t) => isLayout("S", t).bytes },
};

/** What the OS runs measured. */
export interface OsFigures {
  mutex: { uncontended_ns: number; contended_ns: number };
  barrier_ns: Record<string, number>;
  /** nas[kernel].S: verified, seconds at 2 threads, seconds by thread count. */
  nas: Record<string, Record<"S", { verified: boolean; seconds: number; threads: Record<string, number> }>>;
  boot_ms: Record<string, number>;
  /** Cross-core create+join of an empty thread (µs), by cores, ThreadSystem over spanned schedulers. */
  create_join_us: Record<string, number>;
}

/** Boots `cores` cores and times create+join in a ThreadSystem of one domain spanning them all. */
async function createJoinUs(cores: number, k: number): Promise<number> {
  let got: ((r: { us?: number; error?: string }) => void) | undefined;
  const report = new Promise<{ us?: number; error?: string }>((resolve) => {
    got = resolve;
  });
  const prefix = "THREADS-CREATE-JOIN ";
  const machine = await Machine.boot({
    cores,
    console: (line) => {
      const at = line.indexOf(prefix);
      if (at >= 0) got?.(JSON.parse(line.slice(at + prefix.length)) as { us?: number; error?: string });
    },
  });
  try {
    const path = fileURLToPath(new URL("./os-threads.js", import.meta.url));
    await machine.spawn(path, { core: 0, args: [String(k)] });
    const r = await report;
    if (r.us === undefined) throw new Error(`create+join on the OS failed: ${r.error ?? "no report"}`);
    return r.us;
  } finally {
    await machine.halt();
  }
}

/** Runs the OS rows: teams of 1, 2 and 4 dispatchers (4: the barrier only). */
export async function osFigures(ctx: SuiteContext, failures: string[]): Promise<OsFigures> {
  const reps = ctx.quick ? 1 : 3;
  const cls: NasClass = "S";
  const out: OsFigures = {
    mutex: { uncontended_ns: 0, contended_ns: 0 },
    barrier_ns: {},
    nas: {},
    boot_ms: {},
    create_join_us: {},
  };
  for (const cores of [1, 2, 4]) {
    ctx.step?.(`shoal OS, create+join, ${cores} core(s)`);
    try {
      out.create_join_us[String(cores)] = await createJoinUs(cores, ctx.quick ? 100 : 500);
    } catch (e) {
      failures.push(e instanceof Error ? e.message : String(e));
    }
  }
  const perKernel: Record<string, { verified: boolean; threads: Record<string, number> }> = {};
  for (const k of OS_KERNELS) perKernel[k] = { verified: true, threads: {} };
  const mutexNs: Record<string, number[]> = {};
  const barrierNs: Record<string, number[]> = {};
  for (const t of [1, 2, 4]) {
    const seconds: Record<string, number[]> = {};
    // A fresh machine per repetition: the runtime and the baseline start fresh workers for every run,
    // so a team reused across repetitions would run the kernels warm (JIT-compiled) and win unfairly.
    for (let rep = 0; rep < (t <= 2 ? reps : 1); rep++) {
      ctx.step?.(`shoal OS, ${t} core${t > 1 ? "s" : ""}, run ${rep + 1}`);
      const jobs: OsJob[] = [];
      const tags: string[] = [];
      const n = ctx.quick ? 200_000 : 1_000_000;
      // Each primitive's job runs twice and the first is dropped: JIT warm-up (the runtime's rows
      // repeat their loops too).
      if (t <= 2)
        for (const tag of ["warm", "mutex"]) {
          jobs.push({
            module: REGIONS,
            name: t === 1 ? "mutexUncontended" : "mutexContended",
            arg: { n },
            zero: true,
          });
          tags.push(tag);
        }
      if (t >= 2) {
        const rounds = Math.max(200, Math.floor((ctx.quick ? 4000 : 20000) / t));
        for (const tag of ["warm", "barrier"]) {
          jobs.push({ module: REGIONS, name: "barrierRounds", arg: { rounds }, zero: true });
          tags.push(tag);
        }
      }
      if (t <= 2)
        for (const k of OS_KERNELS) {
          const R = REGION[k];
          jobs.push({ module: builtModule(R.module).href, name: R.name, arg: { cls }, zero: true });
          tags.push(k);
        }
      const bytes = Math.max(4096, ...OS_KERNELS.map((k) => REGION[k].bytes(t)));
      const run = await runOnOs({ cores: t, dataBytes: bytes, jobs, timeoutMs: 300_000 });
      out.boot_ms[String(t)] = run.bootMs;
      run.values.forEach((row, j) => {
        const tag = tags[j] as string;
        if (tag === "warm") return;
        if (tag === "mutex") mutexNs[String(t)] = [...(mutexNs[String(t)] ?? []), median(row as number[])];
        else if (tag === "barrier")
          barrierNs[String(t)] = [...(barrierNs[String(t)] ?? []), median(row as number[])];
        else {
          const r = row[0] as CgResult | FtResult | IsResult;
          seconds[tag] = [...(seconds[tag] ?? []), r.seconds];
          if (!r.verified) {
            (perKernel[tag] as { verified: boolean }).verified = false;
            failures.push(`${tag} class S did not verify on the OS at ${t} threads`);
          }
        }
      });
    }
    for (const [k, s] of Object.entries(seconds))
      (perKernel[k] as { threads: Record<string, number> }).threads[String(t)] = median(s);
  }
  out.mutex = {
    uncontended_ns: median(mutexNs["1"] ?? [Number.NaN]),
    contended_ns: median(mutexNs["2"] ?? [Number.NaN]),
  };
  for (const [t, xs] of Object.entries(barrierNs)) out.barrier_ns[t] = median(xs);
  for (const k of OS_KERNELS) {
    const p = perKernel[k] as { verified: boolean; threads: Record<string, number> };
    out.nas[k] = { S: { verified: p.verified, seconds: p.threads["2"] ?? Number.NaN, threads: p.threads } };
  }
  return out;
}
