/**
 * Futex words in physical memory: what a mapped frame's atomic operations and waits stand on. Every
 * core's CPU driver reaches the machine's one SharedArrayBuffer, so an `Atomics.wait` on the
 * *physical* word (the translated address, never a per-mapping copy) meets an `Atomics.notify` from
 * any core and any mapping of the same frame, as a futex keyed by physical address does in Linux.
 */

/** Atomics.waitAsync (in Node 20's V8, not in the ES2022 lib typings). */
type WaitAsync = (
  a: Int32Array,
  index: number,
  value: number,
  timeout: number,
) => { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
const atomicsWaitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** What a wait returned, as Atomics.wait. */
export type FutexOutcome = "ok" | "not-equal" | "timed-out";

/**
 * How a dispatcher's waits are accounted (the CPU driver gives each dispatcher its own): `block` runs
 * a blocking wait (the core's thread sleeps in Atomics.wait; its time is not CPU time and not an
 * overrun), `blockAsync` tracks a pending asynchronous wait (the dispatcher is `blocked` while it has
 * one and no upcall is running).
 */
export interface FutexHooks {
  block<T>(wait: () => T): T;
  blockAsync<T>(wait: Promise<T>): Promise<T>;
}

/** Hooks that account nothing (a MappedMemory made outside a CPU driver, e.g. in unit tests). */
export const NO_FUTEX_HOOKS: FutexHooks = {
  block: (wait) => wait(),
  blockAsync: (wait) => wait,
};

const words = new WeakMap<SharedArrayBuffer, Int32Array>();

/** The Int32Array over all of physical memory (one per buffer and thread: a view, not a copy). */
export function physicalWords(buffer: SharedArrayBuffer): Int32Array {
  let w = words.get(buffer);
  if (w === undefined) {
    w = new Int32Array(buffer);
    words.set(buffer, w);
  }
  return w;
}

/**
 * Waits asynchronously on physical word `index` while it holds `expected`. Atomics.waitAsync alone
 * does not keep Node's event loop alive (PERF-NOTES), so a timer holds it for the wait's life: a core
 * whose only work is a pending wait must not exit under it.
 */
export async function waitAsyncPhysical(
  w: Int32Array,
  index: number,
  expected: number,
  timeoutMs: number,
): Promise<FutexOutcome> {
  const r = atomicsWaitAsync(w, index, expected, timeoutMs);
  if (!r.async) return r.value;
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    return await r.value;
  } finally {
    clearInterval(keepAlive);
  }
}
