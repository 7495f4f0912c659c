/**
 * Shootdowns over real cores: one worker thread per core, the mesh of layout.ts in one
 * SharedArrayBuffer, the same protocol code as the simulator. Every worker started is terminated
 * before this returns, whatever happens. (These are plain worker threads with their own mesh, not
 * cores booted by @shoal/monitor: see docs/shootdown.md for what the monitor-side entry needs.)
 */
import { Worker } from "node:worker_threads";
import type { RouteTable } from "@shoal/agreement";
import { ShootdownError, type ShootdownErrorCode } from "../errors.js";
import { median } from "../sim/run.js";
import { MAX_REAL_CORES, meshLayout } from "./layout.js";
import type { RealCoreReport, RealWorkerData } from "./protocol.js";

/** Options of {@link runRealShootdowns}. */
export interface RealRunOptions {
  readonly ops?: number;
  readonly warmup?: number;
  /** The initiating core (default: the routes' first). */
  readonly root?: number;
  /** Kill this core (terminate its worker and mark it dead) this many ms after the start. */
  readonly kill?: { readonly core: number; readonly afterMs: number };
  /** Deadline of one shootdown (default 2000 ms: the machine is shared and sleeping cores wake slowly). */
  readonly timeoutMs?: number;
}

/** What a real run measured. */
export interface RealRunResult {
  readonly latenciesNs: readonly number[];
  readonly medianNs: number;
  /** Per core, how many ranges it invalidated. */
  readonly invalidated: ReadonlyMap<number, number>;
  /** The error the run ended with, if it did. */
  readonly error: ShootdownError | undefined;
}

function workerUrl(): URL {
  // From src/ (vitest, tsx) the built worker is under dist/; from dist/src/real/ it is beside us.
  return import.meta.url.endsWith(".ts")
    ? new URL("../../dist/src/real/worker.js", import.meta.url)
    : new URL("./worker.js", import.meta.url);
}

/** Runs `ops` one-page shootdowns from the root over one worker per core of `routes`. */
export async function runRealShootdowns(
  routes: RouteTable,
  options: RealRunOptions = {},
): Promise<RealRunResult> {
  const cores = routes.cores;
  const n = Math.max(...cores) + 1;
  if (n > MAX_REAL_CORES) {
    throw new ShootdownError("BAD_ARGUMENT", `real-core runs take at most ${MAX_REAL_CORES} cores, not ${n}`);
  }
  const layout = meshLayout(n);
  const memory = new SharedArrayBuffer(layout.totalWords * 4);
  const trees = cores.map((c) => [c, routes.tree(c)] as const);
  const root = options.root ?? (cores[0] as number);
  const workers = new Map<number, Worker>();
  const reports = new Map<number, RealCoreReport>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const finished = cores.map((core) => {
      const data: RealWorkerData = {
        memory,
        layout,
        core,
        root,
        cores,
        protocol: routes.protocol,
        trees,
        ops: options.ops ?? 50,
        warmup: options.warmup ?? 5,
        timeoutMs: options.timeoutMs ?? 2000,
      };
      const worker = new Worker(workerUrl(), { workerData: data });
      workers.set(core, worker);
      return new Promise<void>((resolve) => {
        worker.once("message", (r: RealCoreReport) => {
          reports.set(core, r);
          resolve();
        });
        worker.once("error", (e) => {
          reports.set(core, {
            core,
            invalidated: 0,
            latenciesNs: [],
            error: { code: "CRASH", message: String(e), core },
          });
          resolve();
        });
        worker.once("exit", () => resolve());
      });
    });
    const kill = options.kill;
    if (kill !== undefined) {
      timer = setTimeout(() => {
        void workers.get(kill.core)?.terminate();
        const w = new Int32Array(memory);
        Atomics.store(w, layout.dead + kill.core, 1);
        // Wake everyone so they look at the dead word now.
        for (let c = 0; c < n; c++) Atomics.notify(w, layout.door + c * 16);
      }, kill.afterMs);
    }
    await Promise.all(finished);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    const w = new Int32Array(memory);
    Atomics.store(w, 0, 1);
    for (let c = 0; c < n; c++) Atomics.notify(w, layout.door + c * 16);
    await Promise.all([...workers.values()].map((wk) => wk.terminate()));
  }
  const rootReport = reports.get(root);
  const invalidated = new Map<number, number>();
  for (const [c, r] of reports) invalidated.set(c, r.invalidated);
  const e = rootReport?.error ?? [...reports.values()].find((r) => r.error !== undefined)?.error;
  const error =
    e === undefined
      ? undefined
      : new ShootdownError((e.code === "CRASH" ? "BAD_MESSAGE" : e.code) as ShootdownErrorCode, e.message, {
          ...(e.core === undefined ? {} : { core: e.core }),
        });
  const latencies = rootReport?.latenciesNs ?? [];
  return { latenciesNs: latencies, medianNs: median(latencies), invalidated, error };
}
