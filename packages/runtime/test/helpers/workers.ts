/**
 * Spawning test peers (test/fixtures/peer-worker.mjs, which runs the built dist/) and waiting for what
 * they report, always with a timeout. Every spawned worker is tracked so a test can terminate them all.
 */
import { Worker } from "node:worker_threads";
import { type Endpoint, transferList } from "../../src/index.js";

const FIXTURE = new URL("../fixtures/peer-worker.mjs", import.meta.url);

/** A running peer worker and what it has reported so far. */
export interface Peer {
  readonly worker: Worker;
  readonly reports: Record<string, unknown>[];
  /** Resolves with the first report matching `pred` (past or future); rejects after `timeoutMs`. */
  next(pred: (r: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves when the worker has exited. */
  readonly exited: Promise<number>;
}

const live = new Set<Worker>();

/** Starts a peer worker that binds `endpoint` and plays `role`. */
export function spawnPeer(role: string, endpoint: Endpoint, extra: Record<string, unknown> = {}): Peer {
  const worker = new Worker(FIXTURE, {
    workerData: { role, endpoint, ...extra },
    transferList: transferList(endpoint),
  });
  live.add(worker);
  const reports: Record<string, unknown>[] = [];
  const waiters: {
    pred: (r: Record<string, unknown>) => boolean;
    resolve: (r: Record<string, unknown>) => void;
  }[] = [];
  worker.on("message", (m: Record<string, unknown>) => {
    reports.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  worker.on("error", () => {
    // Crashes are part of some tests; the exit promise reports them.
  });
  const exited = new Promise<number>((resolve) =>
    worker.on("exit", (code) => {
      live.delete(worker);
      resolve(code);
    }),
  );
  return {
    worker,
    reports,
    exited,
    next(pred, timeoutMs = 20_000) {
      const seen = reports.find(pred);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`peer (${role}) did not report in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          pred,
          resolve: (r) => {
            clearTimeout(t);
            resolve(r);
          },
        });
      });
    },
  };
}

/** Terminates every peer still running (call in afterEach). */
export async function terminateAll(): Promise<void> {
  await Promise.all([...live].map((w) => w.terminate()));
}

/** Number of peer workers still running. */
export function livePeers(): number {
  return live.size;
}
