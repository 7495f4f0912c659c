/**
 * The SKB's saved state: SWI-Prolog's `qsave_program` of an engine with the runtime and every program
 * of prolog/ loaded, made at build time (`scripts/make-state.mjs`, part of `build`). Restoring it
 * (`swipl -x`) skips what dominates a plain start: the 6 MB bundle with the system's library files
 * (parsed, decompressed into emscripten's file system) and consulting seven programs (profile in
 * docs/skb.md, "Engine start"). The state carries a hash of the sources it was made from; a state
 * that does not match the sources on disk is not used (the engine then starts the plain way).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { packageRoot } from "../package-root.js";

/** The program files, in load order (the runtime is loaded before them, as a module). */
export const SKB_PROGRAMS = [
  "vocabulary",
  "topology",
  "multicast",
  "memory",
  "placement",
  "transport",
] as const;

/** Where a built package keeps its state and the hash of its sources. */
export function statePaths(): { readonly image: string; readonly meta: string } {
  const dir = join(packageRoot(), "dist", "state");
  return { image: join(dir, "skb.pvm"), meta: join(dir, "skb.json") };
}

/** The version of swipl-wasm in use (a state is only valid for the engine that made it). */
export function swiplVersion(): string {
  const require = createRequire(import.meta.url);
  return String((require("swipl-wasm/package.json") as { version: string }).version);
}

/** The runtime's and the programs' texts, and one hash over them and the engine's version. */
export function programSources(): {
  readonly runtime: string;
  readonly programs: readonly { readonly name: string; readonly path: string; readonly text: string }[];
  readonly hash: string;
} {
  const dir = join(packageRoot(), "prolog");
  const runtime = readFileSync(join(dir, "runtime.pl"), "utf8");
  const programs = SKB_PROGRAMS.map((name) => {
    const path = join(dir, `${name}.pl`);
    return { name, path, text: readFileSync(path, "utf8") };
  });
  const h = createHash("sha256").update(`swipl-wasm ${swiplVersion()}\0`).update(runtime);
  for (const p of programs) h.update(`\0${p.path}\0`).update(p.text);
  return { runtime, programs, hash: h.digest("hex") };
}

/** The saved state at `image` if its recorded hash matches the sources, else undefined. */
export function readState(
  image = statePaths().image,
  meta = image.replace(/\.pvm$/, ".json"),
): Uint8Array | undefined {
  if (!existsSync(image) || !existsSync(meta)) return undefined;
  try {
    const recorded = JSON.parse(readFileSync(meta, "utf8")) as { hash?: unknown };
    if (recorded.hash !== programSources().hash) return undefined;
    return new Uint8Array(readFileSync(image));
  } catch {
    return undefined;
  }
}

/** The path of swipl-wasm's WebAssembly binary (to compile it once and hand the Module around). */
export function swiplWasmPath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve("swipl-wasm/dist/swipl/swipl-web.wasm");
}
