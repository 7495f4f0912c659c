/**
 * The entry of one real core (a worker thread; built to dist/src/real/worker.js). It builds the
 * route table it was given, runs a {@link ShootdownCore} over its {@link MeshCore}, and, on the
 * initiating core, runs the measured shootdowns one after the other; then every core reports.
 */
import { parentPort, workerData } from "node:worker_threads";
import { RouteTable, ShootdownCore } from "@shoal/agreement";
import { isShootdownError } from "../errors.js";
import { W_HALT, W_READY } from "./layout.js";
import { MeshCore } from "./mesh.js";
import type { RealCoreReport, RealWorkerData } from "./protocol.js";

const data = workerData as RealWorkerData;
const w = new Int32Array(data.memory);
const mesh = new MeshCore(data.memory, data.layout, data.core);
const routes = new RouteTable(data.protocol, data.cores, new Map(data.trees));
// A stand-in TLB: invalidating clears the entries of the range, as the core's MMU would.
const tlb = new Int32Array(64).fill(1);
let invalidated = 0;
const core = new ShootdownCore(
  mesh.env(),
  routes,
  {
    invalidate: (range) => {
      for (let p = 0; p < range.pages; p++) tlb[((range.base >>> 12) + p) & 63] = 0;
      invalidated++;
    },
  },
  { timeoutNs: data.timeoutMs * 1e6 },
);
let anyDead = false;
mesh.attach(
  (from, msg) => core.node.receive(from, msg),
  (dead) => {
    anyDead = true;
    core.node.peerDied(dead);
  },
);

const report: RealCoreReport = { core: data.core, invalidated: 0, latenciesNs: [], error: undefined };
Atomics.add(w, W_READY, 1);
try {
  if (data.core === data.root) {
    // A core that dies before it is ready must not keep the root waiting: the first shootdown then fails.
    mesh.loop(() => anyDead || Atomics.load(w, W_READY) >= data.cores.length);
    for (let i = 0; i < data.warmup + data.ops && report.error === undefined; i++) {
      let done = false;
      const t0 = performance.now();
      core.shootdown({ base: 0x4000_0000 + i * 4096, pages: 1 }, (err) => {
        done = true;
        if (err) report.error = { code: err.code, message: err.message, core: err.core };
        else if (i >= data.warmup) report.latenciesNs.push((performance.now() - t0) * 1e6);
      });
      mesh.loop(() => done);
    }
    Atomics.store(w, W_HALT, 1);
    for (let c = 0; c < data.layout.cores; c++) Atomics.notify(w, data.layout.door + c * 16);
  } else {
    mesh.loop(() => false);
  }
} catch (e) {
  report.error = isShootdownError(e)
    ? { code: e.code, message: e.message, core: e.core }
    : { code: "CRASH", message: String(e), core: data.core };
  Atomics.store(w, W_HALT, 1);
}
report.invalidated = invalidated;
parentPort?.postMessage(report);
