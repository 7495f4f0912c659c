import { Worker } from "node:worker_threads";
import type { SharedMemoryHandle } from "../src/index.js";

/**
 * Runs `threads` copies of the sync test worker on one shared memory and resolves with each one's
 * result; every worker is terminated before it returns, and a worker error rejects.
 */
export async function runWorkers(
  scenario: string,
  threads: number,
  n: number,
  handle: SharedMemoryHandle,
): Promise<number[]> {
  const url = new URL("./workers/sync-worker.mjs", import.meta.url);
  const workers = Array.from(
    { length: threads },
    (_, tid) => new Worker(url, { workerData: { scenario, tid, threads, n, handle } }),
  );
  try {
    return await Promise.all(
      workers.map(
        (w) =>
          new Promise<number>((resolve, reject) => {
            w.once("message", (v: number) => resolve(v));
            w.once("error", reject);
            w.once("exit", (code) => reject(new Error(`worker exited with ${code} before answering`)));
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
