#!/usr/bin/env node
// Measures the urpc channel against a raw hand-written SharedArrayBuffer ping-pong and ring between
// two worker threads, in the same run (the numbers in docs/urpc-flow-control.md come from here).
// Usage: node scripts/ring-vs-raw.mjs [--rounds N]   (needs `pnpm build` first)
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { connectPair, dispatcherStats, openChannel, transferList } from "../dist/index.js";
import { TEST_INFO } from "../test/fixtures/test-interface.mjs";

const PING = 3;
const SEQ = 6;
const BATCH = 2000;

function stats(perOp) {
  const s = [...perOp].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p99: q(0.99) };
}

// ---- workers ----------------------------------------------------------------------------------
function rawPingPong({ sab, role, rounds }) {
  const a = new Int32Array(sab);
  const batches = [];
  if (role === "client") {
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      for (let i = 1; i <= BATCH; i++) {
        const v = r * BATCH + i;
        Atomics.store(a, 0, v);
        while (Atomics.load(a, 16) !== v);
      }
      batches.push(((performance.now() - t0) * 1e6) / BATCH);
    }
    Atomics.store(a, 0, -1);
    return batches;
  }
  let last = 0;
  for (;;) {
    const v = Atomics.load(a, 0);
    if (v === -1) return [];
    if (v !== last) {
      last = v;
      Atomics.store(a, 16, v);
    }
  }
}

/**
 * A raw ring of 32 64-byte lines with one of three flow-control schemes (the alternatives weighed in
 * docs/urpc-flow-control.md). Each line's word 15 is the control word (sequence number, never 0).
 *   "epoch-batched"  receiver never writes the ring; consumer index on its own line, published every 8
 *                    lines and when the ring is found empty; sender re-reads it only when full (urpc's).
 *   "epoch-every"    the same, but the index is published after every line and re-read on every send.
 *   "clear-bit"      receiver zeroes the control word when done; sender checks the slot is 0 first.
 */
function rawRing({ sab, role, count, scheme }) {
  const w = new Int32Array(sab);
  const N = 32;
  const CI = N * 16 + 16;
  if (role === "client") {
    let ack = 0;
    const t0 = performance.now();
    for (let i = 1; i <= count; i++) {
      const b = ((i - 1) & (N - 1)) * 16;
      if (scheme === "clear-bit") {
        while (Atomics.load(w, b + 15) !== 0);
      } else if (scheme === "epoch-every") {
        do {
          ack = Atomics.load(w, CI);
        } while (i - ack > N);
      } else {
        while (i - ack > N) ack = Atomics.load(w, CI);
      }
      for (let k = 0; k < 14; k++) w[b + k] = i;
      Atomics.store(w, b + 15, i);
    }
    if (scheme === "clear-bit") while (Atomics.load(w, ((count - 1) & (N - 1)) * 16 + 15) !== 0);
    else while (Atomics.load(w, CI) !== count);
    return [((performance.now() - t0) * 1e6) / count];
  }
  let sum = 0;
  for (let i = 1; i <= count; i++) {
    const b = ((i - 1) & (N - 1)) * 16;
    while (Atomics.load(w, b + 15) !== i);
    sum += w[b];
    if (scheme === "clear-bit") Atomics.store(w, b + 15, 0);
    else if (scheme === "epoch-every" || (i & 7) === 0 || i === count) Atomics.store(w, CI, i);
    else if (Atomics.load(w, (i & (N - 1)) * 16 + 15) !== i + 1) Atomics.store(w, CI, i); // found empty
  }
  return [sum];
}

function urpcPingPong({ endpoint, role, rounds }) {
  const ch = openChannel(endpoint);
  return new Promise((resolve) => {
    const batches = [];
    let n = 0;
    let t0 = 0;
    const send = (v) => {
      const b = ch.tryLine();
      ch.words[b] = v;
      ch.words[b + 1] = 0;
      ch.publish(PING, 0);
    };
    ch.open(TEST_INFO, {
      onWords(_num, _t, w, b) {
        if (role === "server") return send(w[b]);
        n++;
        if (n % BATCH === 0) {
          const now = performance.now();
          batches.push(((now - t0) * 1e6) / BATCH);
          t0 = now;
          if (batches.length === rounds) return void ch.close().then(() => resolve(batches));
        }
        send(n);
      },
      onValues() {},
      onRpcError() {},
      onFault(e) {
        console.error(e);
      },
      onClose() {
        if (role === "server") resolve([]);
      },
    });
    if (role === "client") {
      t0 = performance.now();
      send(0);
    }
  });
}

async function urpcStream({ endpoint, role, count }) {
  const ch = openChannel(endpoint);
  return new Promise((resolve) => {
    let got = 0;
    ch.open(TEST_INFO, {
      onWords() {
        if (++got === count) void ch.close().then(() => resolve([]));
      },
      onValues() {},
      onRpcError() {},
      onFault(e) {
        console.error(e);
      },
      onClose() {
        if (role === "client") resolve([((performance.now() - t0) * 1e6) / count]);
      },
    });
    const t0 = performance.now();
    if (role !== "client") return;
    const stage = new Uint32Array(14);
    (async () => {
      for (let i = 0; i < count; i++) {
        const b = ch.tryLine();
        if (b >= 0) {
          for (let k = 0; k < 14; k++) ch.words[b + k] = i;
          ch.publish(SEQ, 0);
        } else {
          stage.fill(i);
          await ch.send(SEQ, 0, stage, 14, null, null);
        }
      }
    })();
  });
}

if (!isMainThread) {
  const jobs = { rawPingPong, rawRing, urpcPingPong, urpcStream };
  Promise.resolve(jobs[workerData.job](workerData)).then((r) => {
    if (process.env.SHOAL_STATS) console.log(workerData.job, workerData.role, dispatcherStats());
    parentPort.postMessage(r);
  });
} else {
  const arg = process.argv.indexOf("--rounds");
  const rounds = arg > 0 ? Number(process.argv[arg + 1]) : 200;
  const count = 2_000_000;
  const run = (job, a, b, extra) =>
    Promise.all(
      [a, b].map(
        (d, i) =>
          new Promise((resolve, reject) => {
            const w = new Worker(new URL(import.meta.url), {
              workerData: { job, role: i === 0 ? "client" : "server", ...extra, ...d },
              transferList: d.endpoint ? transferList(d.endpoint) : [],
            });
            w.once("message", (m) => {
              resolve(m);
              void w.terminate();
            });
            w.once("error", reject);
          }),
      ),
    ).then((r) => r[0]);
  const rows = [];
  const only = process.argv.includes("--stream-only");
  for (let rep = 0; rep < (only ? 1 : 2); rep++) {
    if (!only) {
      const sab = new SharedArrayBuffer(4096);
      rows.push(["raw-sab ping-pong", stats(await run("rawPingPong", { sab }, { sab }, { rounds }))]);
      const [ea, eb] = connectPair("urpc");
      rows.push([
        "urpc ping-pong",
        stats(await run("urpcPingPong", { endpoint: ea }, { endpoint: eb }, { rounds })),
      ]);
      for (const scheme of ["epoch-batched", "epoch-every", "clear-bit"]) {
        const ring = new SharedArrayBuffer(64 * 40);
        const raw = await run("rawRing", { sab: ring }, { sab: ring }, { count, scheme });
        rows.push([`raw ring ${scheme} 1-way`, { median: raw[0], p99: raw[0] }]);
      }
    }
    const [sa, sb] = connectPair("urpc");
    const u = await run("urpcStream", { endpoint: sa }, { endpoint: sb }, { count });
    rows.push(["urpc 64 B 1-way", { median: u[0], p99: u[0] }]);
  }
  for (const [name, s] of rows) {
    const extra = name.includes("1-way") ? `  ${(1e3 / s.median).toFixed(1)} M msg/s` : "";
    console.log(
      `${name.padEnd(28)} median ${s.median.toFixed(0).padStart(6)} ns   p99 ${s.p99.toFixed(0).padStart(6)} ns${extra}`,
    );
  }
}
