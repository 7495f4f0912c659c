/**
 * The SKB as part of boot (issue 14, item 6). The machine compiles swipl-wasm's WebAssembly once while
 * it lays out memory and powers core 0 on, hands the Module to core 0, and spawns the skb domain there
 * as soon as core 0 is up; the other cores power on meanwhile (the SKB holds none of them up). Every
 * monitor asks the service for its routes as soon as the name `skb` is registered; the boot ends when
 * every core has its routes (or has said why not), reported as one stage with its time. Then, unless the
 * boot passed its own shootdown trees, core 0 asks the SKB for every root's trees once and the machine
 * installs them behind every monitor's RouteSource (vspace/skb-routes.ts): until then, shootdowns run
 * over the default trees.
 */
import type { Machine } from "../machine/machine.js";
import type { AllRoutes } from "./all-routes.js";
import type { Routes } from "./routes.js";

/** How the machine starts the SKB at boot. */
export interface SkbBootOptions {
  /**
   * The skb domain's module (`import.meta.resolve("@shoal/skb/domain")`): the machine names it rather
   * than importing @shoal/skb, which depends on this package for its tests.
   */
  readonly domain: string;
  /** Arguments after the service name, e.g. `["--board", "amd-8x4"]`. */
  readonly args?: readonly string[];
  /** swipl-wasm's .wasm file, compiled once in the machine and handed to core 0 (else compiled there). */
  readonly wasm?: string;
  /** How long to wait for every core's routes (ms, default 120000). */
  readonly timeoutMs?: number;
}

/** What the SKB stage of a boot did. */
export interface SkbBootReport {
  /** Cores that have their routes. */
  readonly routed: readonly number[];
  /** Cores without, and why (`CODE: message`). */
  readonly failed: readonly { readonly core: number; readonly reason: string }[];
  /** From core 0 up to the last core's routes, ms. */
  readonly ms: number;
  /**
   * The shootdown's trees from the SKB (absent when the boot passed its own trees): every root's,
   * asked in `queries` queries and in use at every core after `ms`; or why the defaults stay.
   */
  readonly shootdown?:
    | { readonly ok: true; readonly queries: number; readonly ms: number }
    | { readonly ok: false; readonly reason: string };
}

/**
 * Core 0 asks the SKB for every root's trees; every live core installs them, and only once all have
 * does any use them (a round over the SKB's trees can then pass through any core).
 */
export async function joinShootdownRoutes(
  machine: Machine,
  timeoutMs = 120_000,
): Promise<{ queries: number; ms: number }> {
  const t0 = performance.now();
  const routes = await machine.request<AllRoutes>(0, { op: "all-routes" }, timeoutMs);
  const cores = machine.liveCores();
  await Promise.all(cores.map((k) => machine.request(k, { op: "shootdown-install", routes }, timeoutMs)));
  await Promise.all(cores.map((k) => machine.request(k, { op: "shootdown-use" }, timeoutMs)));
  return { queries: routes.queries, ms: performance.now() - t0 };
}

function reasonOf(e: unknown): string {
  const code = e instanceof Error && "code" in e ? `${String(e.code)}: ` : "";
  return `${code}${e instanceof Error ? e.message : String(e)}`;
}

/** The routes of every live core, as the monitors got them (for tests and the shell). */
export async function routesOfAllCores(machine: Machine, timeoutMs = 120_000): Promise<Map<number, Routes>> {
  const out = new Map<number, Routes>();
  await Promise.all(
    machine.liveCores().map(async (k) => {
      out.set(k, await machine.request<Routes>(k, { op: "routes" }, timeoutMs));
    }),
  );
  return out;
}

/**
 * Starts the skb domain on core 0 (after handing it the compiled module, if any), then waits for every
 * core's routes. `othersUp` resolves when the other cores are powered on. With `joinShootdown`, then
 * gives every monitor's shootdown the SKB's trees for every root (joinShootdownRoutes).
 */
export async function bootSkb(
  machine: Machine,
  options: SkbBootOptions,
  compiled: Promise<object | undefined>,
  othersUp: Promise<unknown>,
  joinShootdown = false,
): Promise<SkbBootReport> {
  const t0 = performance.now();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const module = await compiled;
  if (module !== undefined) await machine.request(0, { op: "preload", name: "swipl-wasm", module });
  const domain = await machine.spawn(options.domain, { core: 0, args: ["skb", ...(options.args ?? [])] });
  await othersUp;
  const routed: number[] = [];
  const failed: { core: number; reason: string }[] = [];
  // A domain that exits has failed to serve (it serves until halt): stop waiting for its routes.
  const died = domain.exited.then((code) => {
    throw new Error(`the skb domain exited with code ${code}`);
  });
  await Promise.all(
    machine.liveCores().map(async (k) => {
      try {
        await Promise.race([machine.request<Routes>(k, { op: "routes" }, timeoutMs), died]);
        routed.push(k);
      } catch (e) {
        failed.push({ core: k, reason: reasonOf(e) });
      }
    }),
  );
  died.catch(() => undefined);
  routed.sort((a, b) => a - b);
  failed.sort((a, b) => a.core - b.core);
  const ms = performance.now() - t0;
  if (!joinShootdown) return { routed, failed, ms };
  let shootdown: SkbBootReport["shootdown"];
  try {
    shootdown = { ok: true, ...(await Promise.race([joinShootdownRoutes(machine, timeoutMs), died])) };
  } catch (e) {
    shootdown = { ok: false, reason: reasonOf(e) };
  }
  return { routed, failed, ms, shootdown };
}
