/**
 * Typed access to the two platform features this package needs beyond the ES2022 library that the
 * workspace compiles against: `Atomics.waitAsync` (ES2024, Node ≥ 16) and shared `WebAssembly.Memory`
 * (whose buffer is page-aligned, unlike a plain SharedArrayBuffer).
 */

/** Result of `Atomics.waitAsync`. */
export type WaitAsyncResult =
  | { readonly async: false; readonly value: "not-equal" | "timed-out" }
  | { readonly async: true; readonly value: Promise<"ok" | "timed-out"> };

type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs?: number) => WaitAsyncResult;

const atomics = Atomics as unknown as { waitAsync?: WaitAsync };

/** `Atomics.waitAsync`, or a polling stand-in (1 ms) where the platform lacks it. */
export const waitAsync: WaitAsync =
  atomics.waitAsync?.bind(Atomics) ??
  ((array, index, value, timeoutMs) => {
    if (Atomics.load(array, index) !== value) return { async: false, value: "not-equal" };
    const ms = Math.min(1, timeoutMs ?? 1);
    return { async: true, value: new Promise((resolve) => setTimeout(() => resolve("timed-out"), ms)) };
  });

interface SharedMemoryCtor {
  new (descriptor: { initial: number; maximum: number; shared: true }): { readonly buffer: ArrayBufferLike };
}

/** A zeroed, page-aligned SharedArrayBuffer of `pages` 64 KiB pages. */
export function alignedSharedBuffer(pages: number): SharedArrayBuffer {
  const wasm = (globalThis as unknown as { WebAssembly?: { Memory: SharedMemoryCtor } }).WebAssembly;
  if (wasm === undefined) return new SharedArrayBuffer(pages * 65536);
  return new wasm.Memory({ initial: pages, maximum: pages, shared: true }).buffer as SharedArrayBuffer;
}
