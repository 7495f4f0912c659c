/**
 * Bounds an asynchronous workload loop: it fails with TIMEOUT when its progress counter stops moving
 * for `timeoutMs`, and with the worker's own error the moment the worker crashes. Checking a counter
 * from a timer costs the hot loop nothing (no per-message timer or race).
 */
import { BenchError } from "../errors.js";

/** The part of a worker host the guard needs (null for single-thread workloads). */
export interface FailureSource {
  readonly failed: BenchError | null;
  onFailure(listener: (e: BenchError) => void): () => void;
}

/**
 * Settles like `work`, unless the loop stalls or `host`'s worker dies first. `what` names the loop in the
 * TIMEOUT message; a function is called only then, so it can describe where the loop is stuck.
 */
export function guard<T>(
  work: Promise<T>,
  progress: () => number,
  host: FailureSource | null,
  timeoutMs: number,
  what: string | (() => string),
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let last = progress();
    let settled = false;
    let unsubscribe = () => {};
    const finish = () => {
      settled = true;
      clearInterval(timer);
      unsubscribe();
    };
    const timer = setInterval(() => {
      const now = progress();
      if (now === last) {
        finish();
        const name = typeof what === "string" ? what : what();
        reject(host?.failed ?? new BenchError("TIMEOUT", `${name}: no progress within ${timeoutMs} ms`));
      }
      last = now;
    }, timeoutMs);
    if (host !== null) {
      unsubscribe = host.onFailure((e) => {
        if (settled) return;
        finish();
        reject(e);
      });
    }
    work.then(
      (v) => {
        if (settled) return;
        finish();
        resolve(v);
      },
      (e: unknown) => {
        if (settled) return;
        finish();
        reject(e);
      },
    );
  });
}
