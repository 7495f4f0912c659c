#!/usr/bin/env node
// How long after a peer worker is terminated does this side's channel report PEER_DIED? Prints, per
// transport and per state of the peer (idle in its event loop, or busy in a loop), the time from the
// `worker.terminate()` call (or, for a peer that crashes, from its throw) and from the worker's `exit`
// event to `onClose(PEER_DIED)`, over several runs. As in faults.test.ts, the peer binds without opening
// and this side has sends queued behind a full ring (two lines), so there is pending work to fail.
// Run after `pnpm build`: `node tools/measure/peer-died.mjs [--runs N]`. Numbers, not a test: on a loaded
// 2-CPU machine they move with whatever else runs.
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const runtimeUrl = pathToFileURL(
  fileURLToPath(new URL("../../packages/runtime/dist/index.js", import.meta.url)),
).href;
const { connectPair, openChannel, transferList } = await import(runtimeUrl);

const argRuns = process.argv.indexOf("--runs");
const RUNS = argRuns > 0 ? Number(process.argv[argRuns + 1]) : 10;

const INFO = {
  name: "measure",
  fingerprint: "00112233445566778899aabbccddeeff",
  messages: [{ name: "ping", lines: 1, words: 1, overflow: [], caps: 0 }],
};

// The peer binds its end, reports, then idles, spins until terminated, or throws.
const PEER = `
const { parentPort, workerData } = require("node:worker_threads");
import(workerData.runtimeUrl).then(({ openChannel }) => {
  globalThis.channel = openChannel(workerData.endpoint);
  parentPort.postMessage("ready");
  // An idle peer must not exit on its own (an unopened port end holds no handle).
  if (workerData.peer === "idle") setInterval(() => {}, 1000);
  if (workerData.peer === "busy") setTimeout(() => { for (;;); }, 20);
  if (workerData.peer === "crash") setTimeout(() => {
    parentPort.postMessage(performance.timeOrigin + performance.now());
    throw new Error("peer crashed on purpose");
  }, 40);
});
`;

function once(transport, peer) {
  return new Promise((resolve, reject) => {
    const [a, b] = connectPair(transport, transport === "urpc" ? { lines: 2 } : { credits: 1 });
    const ch = openChannel(a);
    let tTerminate = 0;
    let tExit = 0;
    const guard = setTimeout(() => reject(new Error(`${transport}: no onClose within 10 s`)), 10_000);
    const nop = () => {};
    ch.open(INFO, {
      onWords: nop,
      onValues: nop,
      onRpcError: nop,
      onFault: nop,
      onClose(e) {
        const t = performance.now();
        clearTimeout(guard);
        const done = () =>
          resolve({
            code: e.code,
            fromTerminate: t - tTerminate,
            fromExit: tExit === 0 ? Number.NaN : t - tExit,
          });
        // The exit event may come after onClose; wait for it so both figures exist.
        if (tExit !== 0) done();
        else worker.once("exit", () => setImmediate(done));
      },
    });
    for (let i = 0; i < 8; i++)
      ch.send(1 + 2, 0, Uint32Array.of(i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 1, null, null).catch(
        nop,
      );
    const worker = new Worker(PEER, {
      eval: true,
      workerData: { runtimeUrl, endpoint: b, info: INFO, peer },
      transferList: transferList(b),
    });
    worker.on("error", (e) => {
      if (peer !== "crash") reject(e);
    });
    worker.on("exit", () => {
      tExit = performance.now();
    });
    worker.on("message", (m) => {
      // The crashing peer's throw time, moved onto this thread's clock.
      if (typeof m === "number") tTerminate = m - performance.timeOrigin;
      else if (peer !== "crash")
        // Let a busy peer enter its loop first.
        setTimeout(
          () => {
            tTerminate = performance.now();
            void worker.terminate();
          },
          peer === "busy" ? 60 : 20,
        );
    });
  });
}

const fmt = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
  return `min ${s[0]?.toFixed(1)}  median ${q(0.5).toFixed(1)}  max ${s[s.length - 1]?.toFixed(1)} ms`;
};

console.log(
  `node ${process.version}, ${availableParallelism()} CPUs, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}, ${RUNS} runs each`,
);
for (const transport of ["urpc", "port"]) {
  for (const peer of ["idle", "busy", "crash"]) {
    const fromTerminate = [];
    const fromExit = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await once(transport, peer);
      if (r.code !== "PEER_DIED") throw new Error(`${transport}: closed with ${r.code}, not PEER_DIED`);
      fromTerminate.push(r.fromTerminate);
      fromExit.push(r.fromExit);
    }
    const from = peer === "crash" ? "throw      " : "terminate()";
    console.log(`${transport.padEnd(4)} ${peer.padEnd(5)} peer: ${from} -> PEER_DIED  ${fmt(fromTerminate)}`);
    console.log(`${transport.padEnd(4)} ${peer.padEnd(5)} peer: exit event  -> PEER_DIED  ${fmt(fromExit)}`);
  }
}
