/**
 * The machine: the main thread of `shoal boot`, playing the hardware, never the OS. It owns the physical
 * memory (one SharedArrayBuffer), lays out its boot map (doorbells, the intermon mesh, each core's RAM),
 * powers cores on (one worker thread each: core 0 first, then the others in parallel, as core 0's
 * monitor boots them in Barrelfish), carries each core's console, and raises the interrupt that a core
 * died when a worker exits. The OS state lives in the cores; the machine only relays requests to them.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CapRow } from "@shoal/cpu-driver";
import { censusBuffer, connectRegion, type Endpoint } from "@shoal/runtime";
import { type BootLayout, bootLayout, MESH_LINES, meshOffset } from "../layout.js";
import { bootSkb, type SkbBootOptions, type SkbBootReport } from "../skb/boot.js";
import { compileWasm } from "../skb/preload.js";
import { checkShootdownBoot, type ShootdownBoot } from "../vspace/routes.js";
import type { CoreBoot, CoreRequest, FromCore, MemRow, PsRow, ToCore } from "./protocol.js";

/** Options of {@link Machine.boot}. */
export interface BootOptions {
  /** Cores to boot (1..256). */
  readonly cores: number;
  /** Bytes of physical memory (default 256 MiB). */
  readonly memoryBytes?: number;
  /** One line per boot stage, with its time. */
  readonly onStage?: (line: string) => void;
  /** Console lines of the cores (default: dropped). */
  readonly console?: (line: string) => void;
  /** The longest turn a dispatcher may take before it is reported (ms, default 20). */
  readonly sliceMs?: number;
  /**
   * The TLB shootdown protocol of unmap/protect in spanning domains, and its route trees (one per
   * source core over the whole machine, e.g. `routesFromSkb` of @shoal/shootdown); default: NUMA-aware
   * multicast over trees of 4-core packages (vspace/routes.ts).
   */
  readonly shootdown?: ShootdownBoot;
  /** Start the SKB on core 0 as part of boot, and give every monitor its routes (monitor/src/skb/boot.ts). */
  readonly skb?: SkbBootOptions;
}

/** Default physical memory. */
export const DEFAULT_MEMORY_BYTES = 256 * 1024 * 1024;
/** Most cores a machine boots. */
export const MAX_CORES = 256;

/** A typed failure of a request to a core. */
export class MachineError extends Error {
  override readonly name = "MachineError";
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface Pending {
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
}

/** The core worker entry: built JavaScript next to this file, or in dist/ when running from sources. */
function coreEntry(): URL {
  const here = new URL("../core/core-main.js", import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL("../../dist/core/core-main.js", import.meta.url);
}

/** A booted machine. */
export class Machine {
  readonly layout: BootLayout;
  readonly memory: SharedArrayBuffer;
  /** Milliseconds each boot stage took (`skb`: from core 0 up to every core's routes, when it boots). */
  bootMs: { readonly core0: number; readonly others: number; readonly skb?: number; readonly total: number };
  /** What the SKB stage did, when the SKB booted with the system. */
  skbBoot: SkbBootReport | undefined;
  readonly #workers: (Worker | null)[];
  readonly #pending = new Map<number, Pending>();
  readonly #exits = new Map<number, (code: number) => void>();
  readonly #earlyExits = new Map<number, number>();
  readonly #dead = new Set<number>();
  #nextId = 1;
  #halting = false;

  private constructor(
    layout: BootLayout,
    memory: SharedArrayBuffer,
    workers: (Worker | null)[],
    bootMs: Machine["bootMs"],
  ) {
    this.layout = layout;
    this.memory = memory;
    this.#workers = workers;
    this.bootMs = bootMs;
    this.skbBoot = undefined;
  }

  /** Boots a machine of `options.cores` cores. */
  static async boot(options: BootOptions): Promise<Machine> {
    const cores = options.cores;
    if (!Number.isInteger(cores) || cores < 1 || cores > MAX_CORES)
      throw new MachineError(
        "BAD_OPTION",
        `cores must be an integer from 1 to ${MAX_CORES}, got ${String(cores)}`,
      );
    const memoryBytes = options.memoryBytes ?? DEFAULT_MEMORY_BYTES;
    const stage = options.onStage ?? (() => {});
    const console = options.console ?? (() => {});
    const t0 = performance.now();
    let layout: BootLayout;
    try {
      layout = bootLayout(cores, memoryBytes);
    } catch (e) {
      throw new MachineError("BAD_OPTION", (e as Error).message);
    }
    // The SKB's WebAssembly compiles on V8's background threads while memory is laid out and core 0 boots.
    const skbWasm = options.skb?.wasm;
    const compiled: Promise<object | undefined> =
      skbWasm === undefined
        ? Promise.resolve(undefined)
        : compileWasm(skbWasm).catch((e: unknown) => {
            stage(
              `skb: cannot compile ${skbWasm} (${e instanceof Error ? e.message : String(e)}); core 0 will`,
            );
            return undefined;
          });
    const memory = new SharedArrayBuffer(memoryBytes);
    // The mesh: one channel per pair of cores, laid out before any core runs (firmware tables).
    const mesh: (Endpoint | null)[][] = Array.from({ length: cores }, () =>
      Array<Endpoint | null>(cores).fill(null),
    );
    for (let i = 0; i < cores; i++)
      for (let j = i + 1; j < cores; j++) {
        const [a, b] = connectRegion(memory, meshOffset(layout, i, j), { lines: MESH_LINES });
        (mesh[i] as (Endpoint | null)[])[j] = a;
        (mesh[j] as (Endpoint | null)[])[i] = b;
      }
    stage(
      `memory: ${(memoryBytes / 2 ** 20).toFixed(0)} MiB; mesh: ${(cores * (cores - 1)) / 2} channels; RAM: ${(layout.ramPerCore / 2 ** 20).toFixed(1)} MiB per core (${(performance.now() - t0).toFixed(1)} ms)`,
    );
    let shootdown: ShootdownBoot | undefined;
    try {
      shootdown = options.shootdown === undefined ? undefined : checkShootdownBoot(options.shootdown, cores);
    } catch (e) {
      throw new MachineError("BAD_OPTION", (e as Error).message);
    }
    const census = censusBuffer();
    const workers: (Worker | null)[] = Array(cores).fill(null);
    const ready = new Map<number, () => void>();
    const holder: { machine: Machine | null; early: FromCore[] } = { machine: null, early: [] };
    const power = (k: number): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const boot: CoreBoot = {
          core: k,
          layout,
          memory,
          census,
          mesh: mesh[k] as (Endpoint | null)[],
          sliceMs: options.sliceMs ?? 20,
          ...(shootdown === undefined ? {} : { shootdown }),
          ...(options.skb === undefined ? {} : { skb: true }),
        };
        const w = new Worker(coreEntry(), { workerData: boot });
        workers[k] = w;
        ready.set(k, resolve);
        w.on("message", (m: FromCore) => {
          if (m.t === "ready") {
            ready.get(k)?.();
            ready.delete(k);
          } else if (m.t === "console") console(m.line);
          else if (holder.machine !== null) holder.machine.#fromCore(m);
          else holder.early.push(m);
        });
        w.on("error", (e) => {
          console(`[core ${k}] crashed: ${e.message}`);
          if (ready.has(k)) reject(new MachineError("BOOT_FAILED", `core ${k} failed to boot: ${e.message}`));
        });
        w.on("exit", () => {
          if (holder.machine !== null) holder.machine.#coreExited(k);
        });
      });
    // The machine exists from the start so that boot stages (the SKB's) can make requests of core 0.
    const machine = new Machine(layout, memory, workers, { core0: 0, others: 0, total: 0 });
    holder.machine = machine;
    const c0 = performance.now();
    await power(0);
    const core0 = performance.now() - c0;
    stage(`core 0: CPU driver and monitor up (${core0.toFixed(1)} ms)`);
    const o0 = performance.now();
    const othersUp = Promise.all(Array.from({ length: cores - 1 }, (_, i) => power(i + 1)));
    const skb =
      options.skb === undefined
        ? undefined
        : bootSkb(machine, options.skb, compiled, othersUp, shootdown?.trees === undefined);
    skb?.catch(() => undefined);
    await othersUp;
    const others = performance.now() - o0;
    if (cores > 1) stage(`cores 1..${cores - 1}: up, mesh joined (${others.toFixed(1)} ms)`);
    let skbMs: number | undefined;
    if (skb !== undefined) {
      try {
        const r = await skb;
        machine.skbBoot = r;
        skbMs = r.ms;
        const why =
          r.failed.length === 0
            ? ""
            : `; no routes at ${r.failed.map((f) => `${f.core} (${f.reason})`).join(", ")}`;
        stage(
          `skb: serving on core 0, routes at ${r.routed.length} of ${cores} cores (${r.ms.toFixed(1)} ms after core 0)${why}`,
        );
        const sd = r.shootdown;
        if (sd !== undefined)
          stage(
            sd.ok
              ? `skb: shootdown over the SKB's trees for all ${cores} roots (${sd.queries} quer${sd.queries === 1 ? "y" : "ies"}, ${sd.ms.toFixed(1)} ms; default trees until then)`
              : `skb: shootdown keeps the default trees (${sd.reason})`,
          );
      } catch (e) {
        stage(`skb: failed to start: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const total = performance.now() - t0;
    stage(`ready: ${cores} core${cores === 1 ? "" : "s"} in ${total.toFixed(1)} ms`);
    machine.bootMs = { core0, others, ...(skbMs === undefined ? {} : { skb: skbMs }), total };
    for (const m of holder.early) machine.#fromCore(m);
    return machine;
  }

  /** The number of cores. */
  get cores(): number {
    return this.layout.cores;
  }

  /** Cores that are up. */
  liveCores(): number[] {
    return this.#workers.flatMap((w, k) => (w !== null && !this.#dead.has(k) ? [k] : []));
  }

  #fromCore(m: FromCore): void {
    if (m.t === "reply") {
      const p = this.#pending.get(m.id);
      if (p === undefined) return;
      this.#pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new MachineError(m.code, m.message));
    } else if (m.t === "exited") {
      const done = this.#exits.get(m.domid);
      if (done === undefined) this.#earlyExits.set(m.domid, m.code);
      else {
        this.#exits.delete(m.domid);
        done(m.code);
      }
    }
  }

  /** A core's worker exited: the interrupt line tells every other core. */
  #coreExited(k: number): void {
    if (this.#dead.has(k)) return;
    this.#dead.add(k);
    this.#workers[k] = null;
    if (this.#halting) return;
    for (const w of this.#workers) w?.postMessage({ t: "core-died", core: k } satisfies ToCore);
  }

  /** Sends `req` to core `core`'s monitor over its console line. */
  request<T>(core: number, req: CoreRequest, timeoutMs = 30_000): Promise<T> {
    const w = this.#workers[core];
    if (w === undefined || w === null)
      return Promise.reject(
        new MachineError("NO_SUCH_CORE", `core ${core} is not up (cores: 0..${this.cores - 1})`),
      );
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new MachineError("TIMEOUT", `core ${core} did not answer ${req.op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      w.postMessage({ t: "req", id, req } satisfies ToCore);
    });
  }

  /** Spawns the module at `path` on `core`; resolves with its id and a promise of its exit code. */
  async spawn(
    path: string,
    options: { core?: number; args?: readonly string[] } = {},
  ): Promise<{ id: number; exited: Promise<number> }> {
    const core = options.core ?? 0;
    const id = await this.request<number>(core, { op: "spawn", path, args: options.args ?? [], core });
    const early = this.#earlyExits.get(id);
    if (early !== undefined) {
      this.#earlyExits.delete(id);
      return { id, exited: Promise.resolve(early) };
    }
    return { id, exited: new Promise<number>((resolve) => this.#exits.set(id, resolve)) };
  }

  /** Every core's dispatchers (gathered by core 0's monitor over the mesh). */
  ps(): Promise<PsRow[]> {
    return this.request<PsRow[]>(this.liveCores()[0] ?? 0, { op: "ps" });
  }

  /** Monitor round trips from core `from` to core `to`. */
  ping(to: number, from = 0, count = 100): Promise<{ medianUs: number; minUs: number; count: number }> {
    return this.request(from, { op: "ping", core: to, count });
  }

  /** Kills domain `id` (on the core its id names); false when it was not running. */
  kill(id: number): Promise<boolean> {
    return this.request<boolean>(Math.floor(id / 2 ** 20), { op: "kill", id });
  }

  /** RAM of every live core. */
  mem(): Promise<MemRow[]> {
    return Promise.all(this.liveCores().map((k) => this.request<MemRow>(k, { op: "mem" })));
  }

  /** The CSpace of domain `id` (on the core its id names): slot, type, base, size, rights. */
  caps(id: number): Promise<CapRow[]> {
    return this.request<CapRow[]>(Math.floor(id / 2 ** 20), { op: "caps", id });
  }

  /** Simulates the failure of core `k`: its worker is terminated; the other cores are told. */
  async killCore(k: number): Promise<void> {
    const w = this.#workers[k];
    if (w === undefined || w === null) throw new MachineError("NO_SUCH_CORE", `core ${k} is not up`);
    await w.terminate();
  }

  /** Stops every domain and powers every core off. */
  async halt(): Promise<void> {
    if (this.#halting) return;
    const live = this.liveCores();
    await Promise.all(live.map((k) => this.request(k, { op: "halt" }, 5_000).catch(() => 0)));
    this.#halting = true;
    await Promise.all(this.#workers.map((w) => w?.terminate()));
    for (const p of this.#pending.values()) p.reject(new MachineError("HALTED", "the machine halted"));
    this.#pending.clear();
  }
}
