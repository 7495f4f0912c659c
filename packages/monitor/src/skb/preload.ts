/**
 * WebAssembly modules the machine compiled once and handed to a core (Modules can be posted to
 * workers; the compiled code is shared, not redone). The core keeps them in a registry on globalThis
 * under a well-known symbol, where @shoal/skb's engine looks for "swipl-wasm" (this package does not
 * depend on @shoal/skb, nor it on this one at run time, hence no import either way).
 */
import { readFile } from "node:fs/promises";

/** The registry's key on globalThis (the same `Symbol.for` name @shoal/skb reads). */
export const PRELOADED_MODULES = Symbol.for("shoal.preloaded-wasm-modules");

/** A compiled WebAssembly.Module (the lib settings here do not declare WebAssembly). */
export type WasmModule = object;

interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
}

/** Compiles the wasm file at `path` (in the machine, once per boot). */
export async function compileWasm(path: string): Promise<WasmModule> {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  return wasm.compile(new Uint8Array(await readFile(path)));
}

/** Leaves `module` for this thread's domains under `name`. */
export function preload(name: string, module: WasmModule): void {
  const g = globalThis as Record<symbol, unknown>;
  let reg = g[PRELOADED_MODULES];
  if (!(reg instanceof Map)) {
    reg = new Map<string, WasmModule>();
    g[PRELOADED_MODULES] = reg;
  }
  (reg as Map<string, WasmModule>).set(name, module);
}
