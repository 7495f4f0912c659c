/**
 * The few parts of swipl-wasm 8.0.5 the engine uses, typed here because the package's own types
 * reference emscripten's, which are not installed. Starting an instance costs 100-190 ms (more on a
 * loaded machine): the engine starts one and keeps it.
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

interface WasmGlobal {
  instantiate: (...args: unknown[]) => Promise<unknown>;
  Memory: abstract new (...args: never[]) => WasmMemoryLike;
}

/** A started swipl-wasm instance. */
export interface SwiplInstance {
  readonly prolog: SwiplProlog;
  /** The instance's linear memory, when it could be captured at start (for leak checks). */
  readonly memory: WasmMemoryLike | undefined;
}

type SwiplFactory = (options: {
  arguments: string[];
  print: (text: string) => void;
  printErr: (text: string) => void;
}) => Promise<{ prolog: SwiplProlog }>;

let starting: Promise<unknown> = Promise.resolve();

/**
 * Starts one swipl-wasm instance whose standard output and error go to `print`/`printErr` (swipl
 * otherwise writes warnings and uncaught errors to the process's console).
 */
export function startSwipl(
  print: (text: string) => void,
  printErr: (text: string) => void,
): Promise<SwiplInstance> {
  // Starts are serialised: the memory is captured by watching WebAssembly.instantiate during one start.
  const next = starting.then(() => startOne(print, printErr));
  starting = next.catch(() => undefined);
  return next;
}

async function startOne(
  print: (text: string) => void,
  printErr: (text: string) => void,
): Promise<SwiplInstance> {
  const require = createRequire(import.meta.url);
  const factory = require("swipl-wasm") as SwiplFactory;
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
    const module = await factory({ arguments: ["-q"], print, printErr });
    return { prolog: module.prolog, memory };
  } finally {
    wasm.instantiate = original;
  }
}
