/**
 * The few parts of swipl-wasm 8.0.5 the engine uses, typed here because the package's own types
 * reference emscripten's, which are not installed. Starting an instance costs 100-190 ms (more on a
 * loaded machine): the engine starts one and keeps it.
 *
 * Two ways to start: the full bundle (the system's library files as emscripten data, the wasm binary
 * inlined), or the bundle without data restoring a saved state (`-x`, engine/state.ts), which then
 * holds everything the SKB needs. The second can take a WebAssembly.Module compiled elsewhere (the
 * machine compiles it once and posts it to the core that hosts the SKB: Modules cross threads).
 */
import { createRequire } from "node:module";

/** A result of swipl-wasm's `Query.once()`: the bindings of the named variables. */
export type SwiplBindings = Record<string, unknown> & { readonly $tag?: string; readonly error?: boolean };

/** swipl-wasm's query object. */
export interface SwiplQuery {
  once(): SwiplBindings;
}

/** swipl-wasm's Prolog interface. */
export interface SwiplProlog {
  query(goal: string, input?: Record<string, string | number>): SwiplQuery;
}

/** The WebAssembly memory of an instance (the lib settings here do not declare WebAssembly). */
export interface WasmMemoryLike {
  readonly buffer: ArrayBuffer;
}

/** A compiled WebAssembly.Module (opaque here: the lib settings do not declare WebAssembly). */
export type WasmModuleLike = object;

interface WasmGlobal {
  instantiate: (...args: unknown[]) => Promise<unknown>;
  compile: (bytes: Uint8Array) => Promise<WasmModuleLike>;
  Memory: abstract new (...args: never[]) => WasmMemoryLike;
  Module: abstract new (...args: never[]) => WasmModuleLike;
}

/**
 * Where a host (a core of a booted machine) leaves modules compiled for this thread, by name: the
 * skb domain finds swipl-wasm's there under "swipl-wasm" (set by @shoal/monitor's core, which does not
 * depend on this package, hence a registry on globalThis rather than an import).
 */
export const PRELOADED_MODULES = Symbol.for("shoal.preloaded-wasm-modules");

/** The swipl-wasm Module a host preloaded for this thread, if any. */
export function preloadedSwiplModule(): WasmModuleLike | undefined {
  const reg = (globalThis as Record<symbol, unknown>)[PRELOADED_MODULES];
  const m = reg instanceof Map ? (reg as Map<string, unknown>).get("swipl-wasm") : undefined;
  const wasm = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly;
  return m instanceof wasm.Module ? m : undefined;
}

/** How to start an instance: restore `image` (a saved state) if given, with `module` if given. */
export interface SwiplStart {
  readonly image?: Uint8Array;
  readonly module?: WasmModuleLike;
}

/** A started swipl-wasm instance. */
export interface SwiplInstance {
  readonly prolog: SwiplProlog;
  /** The instance's linear memory, when it could be captured at start (for leak checks). */
  readonly memory: WasmMemoryLike | undefined;
}

interface EmscriptenFs {
  writeFile(path: string, data: Uint8Array): void;
}

type SwiplFactory = (options: {
  arguments: string[];
  print: (text: string) => void;
  printErr: (text: string) => void;
  preRun?: ((module: { FS: EmscriptenFs }) => void)[];
  instantiateWasm?: (imports: unknown, done: (instance: unknown) => void) => object;
}) => Promise<{ prolog: SwiplProlog }>;

let starting: Promise<unknown> = Promise.resolve();

/**
 * Starts one swipl-wasm instance whose standard output and error go to `print`/`printErr` (swipl
 * otherwise writes warnings and uncaught errors to the process's console).
 */
export function startSwipl(
  print: (text: string) => void,
  printErr: (text: string) => void,
  how: SwiplStart = {},
): Promise<SwiplInstance> {
  // Starts are serialised: the memory is captured by watching WebAssembly.instantiate during one start.
  const next = starting.then(() => startOne(print, printErr, how));
  starting = next.catch(() => undefined);
  return next;
}

async function startOne(
  print: (text: string) => void,
  printErr: (text: string) => void,
  how: SwiplStart,
): Promise<SwiplInstance> {
  const require = createRequire(import.meta.url);
  const image = how.image;
  const factory = require(
    image === undefined ? "swipl-wasm" : "swipl-wasm/dist/swipl/swipl-bundle-no-data",
  ) as SwiplFactory;
  const wasm = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly;
  const original = wasm.instantiate;
  let memory: WasmMemoryLike | undefined;
  wasm.instantiate = async (...args: unknown[]) => {
    const result = await Reflect.apply(original, wasm, args);
    // instantiate(bytes) gives {instance, module}; instantiate(module) gives the instance itself.
    const r = result as {
      instance?: { exports: Record<string, unknown> };
      exports?: Record<string, unknown>;
    };
    const exports = r.instance?.exports ?? r.exports ?? {};
    for (const value of Object.values(exports)) {
      if (value instanceof wasm.Memory) memory = value;
    }
    return result;
  };
  try {
    if (image === undefined) {
      const module = await factory({ arguments: ["-q"], print, printErr });
      return { prolog: module.prolog, memory };
    }
    const compiled = how.module;
    let fail: (e: unknown) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const starting = factory({
      arguments: ["-q", "-x", "skb.pvm"],
      print,
      printErr,
      preRun: [(m) => m.FS.writeFile("skb.pvm", image)],
      ...(compiled === undefined
        ? {}
        : {
            instantiateWasm: (imports: unknown, done: (instance: unknown) => void) => {
              // Instantiating a Module gives the instance itself (the watcher above sees it).
              wasm.instantiate(compiled, imports).then(done, fail);
              return {};
            },
          }),
    });
    const module = await Promise.race([starting, failed]);
    return { prolog: module.prolog, memory };
  } finally {
    wasm.instantiate = original;
  }
}
