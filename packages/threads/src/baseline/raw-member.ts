// The baseline's worker: plain worker_threads + SharedArrayBuffer + Atomics.
import { parentPort, workerData } from "node:worker_threads";
import type { Region } from "../team/par.js";
import { RawPar } from "./raw-par.js";

const { control, tid, nthreads } = workerData as {
  control: SharedArrayBuffer;
  tid: number;
  nthreads: number;
};
const par = new RawPar(control, tid, nthreads);
const port = parentPort;
if (port === null) throw new Error("raw-member.js runs as a worker");

port.on("message", async (m: { module: string; name: string; arg: unknown }) => {
  try {
    const fn = ((await import(m.module)) as Record<string, Region<unknown, unknown>>)[m.name];
    if (fn === undefined) throw new Error(`${m.module} exports no ${m.name}`);
    port.postMessage({ ok: true, value: fn(par, m.arg) });
  } catch (e) {
    port.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
port.postMessage({ ready: true });
