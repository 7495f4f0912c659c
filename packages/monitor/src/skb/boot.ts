/**
 * The SKB as part of boot (issue 14, item 6). The machine compiles swipl-wasm's WebAssembly once while
 * it lays out memory and powers core 0 on, hands the Module to core 0, and spawns the skb domain there
 * as soon as core 0 is up; the other cores power on meanwhile (the SKB holds none of them up). Every
 * monitor asks the service for its routes as soon as the name `skb` is registered; the boot ends when
 * every core has its routes (or has said why not), reported as one stage with its time.
 */
import type { Machine } from "../machine/machine.js";
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
 * core's routes. `othersUp` resolves when the other cores are powered on.
 */
export async function bootSkb(
  machine: Machine,
  options: SkbBootOptions,
  compiled: Promise<object | undefined>,
  othersUp: Promise<unknown>,
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
        const code = e instanceof Error && "code" in e ? `${String(e.code)}: ` : "";
        failed.push({ core: k, reason: `${code}${e instanceof Error ? e.message : String(e)}` });
      }
    }),
  );
  died.catch(() => undefined);
  routed.sort((a, b) => a - b);
  failed.sort((a, b) => a.core - b.core);
  return { routed, failed, ms: performance.now() - t0 };
}
