/**
 * Loads `@shoal/runtime` (this package, by its own name: the built dist/index.js, the module the generated
 * stubs import too) and the generated `gen/bench.js` at run time, so a missing or unfinished piece makes
 * the stub transports "not available" with a reason, instead of breaking the baselines.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describeError } from "../errors.js";
import type { BenchStubs, RuntimeApi } from "./stub-api.js";

/** The loaded modules, or why they are not usable. */
export type LoadedStubs =
  | { readonly runtime: RuntimeApi; readonly Bench: BenchStubs }
  | { readonly unavailable: string };

/**
 * The stubs generated from interfaces/bench.if: `dist/bench/gen/bench.js` when running compiled; under
 * vitest (running bench/ as TypeScript) `bench/gen/bench.ts`, which vitest compiles on import.
 */
export function genUrl(): URL | null {
  for (const name of ["../gen/bench.js", "../gen/bench.ts"]) {
    const url = new URL(name, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

let cached: Promise<LoadedStubs> | null = null;

/** Loads both modules once per thread. */
export function loadStubs(): Promise<LoadedStubs> {
  cached ??= load();
  return cached;
}

async function load(): Promise<LoadedStubs> {
  let runtime: Partial<RuntimeApi>;
  try {
    runtime = (await import("@shoal/runtime")) as unknown as Partial<RuntimeApi>;
  } catch (e) {
    return { unavailable: `@shoal/runtime does not load (${describeError(e)})` };
  }
  if (typeof runtime.connectPair !== "function") {
    return { unavailable: "@shoal/runtime does not export connectPair yet (rebuild packages/runtime)" };
  }
  const url = genUrl();
  if (url === null) {
    return {
      unavailable:
        "no stubs generated from interfaces/bench.if (build packages/flounder, then `pnpm --filter @shoal/runtime build:bench`)",
    };
  }
  let gen: { Bench?: Partial<BenchStubs> };
  try {
    gen = (await import(url.href)) as { Bench?: Partial<BenchStubs> };
  } catch (e) {
    return { unavailable: `generated gen/bench.js does not load (${describeError(e)})` };
  }
  if (typeof gen.Bench?.bind !== "function") {
    return { unavailable: "generated gen/bench.js has no Bench.bind" };
  }
  return { runtime: runtime as RuntimeApi, Bench: gen.Bench as BenchStubs };
}
