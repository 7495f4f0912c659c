/**
 * The raw transport figures the kernel suite compares against, measured in the same run: the runtime's
 * lrpc with both ends in one worker, and its urpc between two workers, with the same stubs and loops
 * as the domains.
 */
import { Worker } from "node:worker_threads";
import { connectPair, transferList } from "@shoal/runtime";
import { built } from "./built.js";
import type { RawPeerData } from "./workers/raw-peer.js";

const ENTRY = built("workers/raw-peer.js");

function result(w: Worker): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    w.once("message", (m: { ok: boolean; value?: number; message?: string }) =>
      m.ok ? resolve(m.value as number) : reject(new Error(m.message)),
    );
    w.once("error", reject);
  });
}

/** Runs `mode` over the raw lrpc transport: the figure (ns one way, or msgs/s). */
export async function rawLrpc(mode: RawPeerData["mode"], count: number, warmMs: number): Promise<number> {
  const w = new Worker(ENTRY, { workerData: { role: "lrpc", mode, count, warmMs } satisfies RawPeerData });
  try {
    return await result(w);
  } finally {
    await w.terminate();
  }
}

/** Runs `mode` over a raw urpc channel between two workers. */
export async function rawUrpc(mode: RawPeerData["mode"], count: number, warmMs: number): Promise<number> {
  const [a, b] = connectPair("urpc");
  const server = new Worker(ENTRY, {
    workerData: { role: "server", mode, count, warmMs, endpoint: a } satisfies RawPeerData,
    transferList: transferList(a),
  });
  const client = new Worker(ENTRY, {
    workerData: { role: "client", mode, count, warmMs, endpoint: b } satisfies RawPeerData,
    transferList: transferList(b),
  });
  try {
    return await result(client);
  } finally {
    await Promise.all([client.terminate(), server.terminate()]);
  }
}
