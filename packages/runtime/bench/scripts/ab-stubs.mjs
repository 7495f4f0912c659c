#!/usr/bin/env node
// Compares two builds of the generated bench stubs in one process, paired: urpc ping-pong and rpc between
// main and a worker, lrpc ping-pong and one-way sends in main; chunks of the two builds alternate (the
// order flipped every pair), so both see the same machine state. On this VM, `pnpm bench` runs minutes
// apart differ by more than most stub changes; chunks a millisecond apart do not.
//
//   pnpm build && cp -r packages/runtime/dist/bench/gen packages/runtime/gen-a     # the "before" build
//   (change packages/flounder, then) pnpm build                                   # the "after" build
//   node packages/runtime/bench/scripts/ab-stubs.mjs packages/runtime/gen-a/bench.js \
//     packages/runtime/dist/bench/gen/bench.js
//
// Each build has its own connection, and the first and second connection of a thread do not measure the
// same (a same-code control put the second's rpc at 0.94-0.98x and its lrpc ping-pong at ~1.05x), so
// everything runs twice, A's connection opened first and then B's, and the two B/A ratios are combined
// (geometric mean). Both builds share one @shoal/runtime (a process loads one): this compares stub
// changes only. Keep the copies inside packages/runtime, where their `@shoal/runtime` import resolves (the
// package's own name), and run it once with the same path twice for a control.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { connectPair, transferList } from "@shoal/runtime";
import { bindServer } from "../../dist/bench/stubs/stub-server.js";

const V = 0x0123_4567_89ab_cdefn;
const BATCH = 16;
const ROUNDS = 2048;
const WARM_MS = 400;

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const load = async (p) => (await import(pathToFileURL(resolve(p)).href)).Bench;

if (!isMainThread) {
  const builds = [await load(workerData.paths[0]), await load(workerData.paths[1])];
  // The bench's own server end (answers ping with pong and echo with its argument).
  const servers = workerData.eps.map((ep, k) => bindServer(builds[workerData.order[k]], ep));
  parentPort.on("message", async () => {
    for (const s of servers) await s.close();
    parentPort.postMessage("closed");
  });
} else {
  const paths = process.argv.slice(2, 4);
  const pairs = Number(process.argv[4] ?? 200);
  if (paths.length !== 2 || !(pairs > 0)) {
    console.error("usage: node ab-stubs.mjs STUBS_A.js STUBS_B.js [PAIRS]");
    process.exit(2);
  }
  const builds = [await load(paths[0]), await load(paths[1])];
  console.log(`A: ${paths[0]}\nB: ${paths[1]}\n${pairs} pairs per test and arrangement\n`);
  const runs = [await measure(builds, paths, [0, 1], pairs), await measure(builds, paths, [1, 0], pairs)];
  console.log(
    `${"test".padEnd(31)}${"A".padStart(8)}${"B".padStart(8)}  B/A: A opened first, B first, combined`,
  );
  for (const name of Object.keys(runs[0])) {
    const [r0, r1] = runs.map((r) => r[name]);
    const ns = (x) => median([r0[x], r1[x]].flat()).toFixed(1).padStart(8);
    console.log(
      `${name.padEnd(31)}${ns("a")}${ns("b")}  ${r0.ratio.toFixed(3)}  ${r1.ratio.toFixed(3)}  ${Math.sqrt(r0.ratio * r1.ratio).toFixed(3)}`,
    );
  }
}

/**
 * One arrangement: a connection per build, opened in `order`, a worker serving the urpc ones. Returns,
 * per test, the chunk medians of A and B and the median over pairs of B/A.
 */
async function measure(builds, paths, order, pairs) {
  const ends = order.map(() => connectPair("urpc"));
  const far = ends.map(([, e]) => e);
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { eps: far, order, paths },
    transferList: far.flatMap((e) => transferList(e)),
  });
  let onPong = null;
  const urpc = [];
  const lrpc = [];
  for (const [k, i] of order.entries()) {
    urpc[i] = builds[i].bind(ends[k][0], { rx: { pong: (v) => onPong(v) } });
    lrpc[i] = lrpcPair(builds[i]);
  }
  await new Promise((r) => setTimeout(r, 50));

  /** ns per round trip of one chunk (median of its batches), as the bench's ping-pong runs it. */
  const pingpong = (c) =>
    new Promise((done, fail) => {
      const samples = [];
      let i = 0;
      let inBatch = 0;
      let t0 = performance.now();
      onPong = (v) => {
        i += 1;
        if (i < ROUNDS) void c.tx.ping(V);
        if (v !== V) fail(new Error(`pong ${v}`));
        if (++inBatch === BATCH) {
          const t1 = performance.now();
          samples.push(((t1 - t0) * 1e6) / BATCH);
          t0 = t1;
          inBatch = 0;
        }
        if (i === ROUNDS) done(median(samples));
      };
      void c.tx.ping(V);
    });
  const rpc = async (c) => {
    const samples = [];
    for (let s = 0; s < ROUNDS / 2 / BATCH; s++) {
      const t0 = performance.now();
      for (let k = 0; k < BATCH; k++) if ((await c.rpc.echo(V)).result !== V) throw new Error("echo");
      samples.push(((performance.now() - t0) * 1e6) / BATCH);
    }
    return median(samples);
  };
  const tests = {
    "urpc ping-pong (ns/round trip)": (i) => pingpong(urpc[i]),
    "urpc rpc (ns/call)": (i) => rpc(urpc[i]),
    "lrpc ping-pong (ns/message)": async (i) => lrpc[i].pingpong(),
    "lrpc one-way (ns/message)": async (i) => lrpc[i].oneway(),
  };
  const out = {};
  for (const [name, run] of Object.entries(tests)) {
    const t = performance.now();
    while (performance.now() - t < WARM_MS) for (const i of [0, 1]) await run(i);
    const a = [];
    const b = [];
    for (let k = 0; k < pairs; k++) {
      // Flip the order every pair: the second of two chunks can run warmer than the first.
      if (k % 2 === 0) {
        a.push(await run(0));
        b.push(await run(1));
      } else {
        b.push(await run(1));
        a.push(await run(0));
      }
    }
    out[name] = { a, b, ratio: median(b.map((x, k) => x / a[k])) };
  }
  worker.postMessage("close");
  await new Promise((r) => worker.once("message", r));
  for (const c of urpc) await c.close();
  for (const p of lrpc) await p.close();
  await worker.terminate();
  return out;
}

/** An lrpc pair of build `Bench`, both ends in this thread. */
function lrpcPair(Bench) {
  const [e1, e2] = connectPair("lrpc");
  let n = 0;
  let want = 0;
  const s = Bench.bind(e2, {
    rx: {
      ping(v) {
        void s.tx.pong(v);
      },
      payload8() {
        n++;
      },
    },
  });
  const c = Bench.bind(e1, {
    rx: {
      pong(v) {
        if (++n < want) void c.tx.ping(v);
      },
    },
  });
  const messages = ROUNDS * 8;
  return {
    pingpong() {
      n = 0;
      want = messages;
      const t0 = performance.now();
      void c.tx.ping(V);
      return ((performance.now() - t0) * 1e6) / messages;
    },
    oneway() {
      n = 0;
      const t0 = performance.now();
      for (let k = 0; k < messages; k++) void c.tx.payload8(1, 2);
      return ((performance.now() - t0) * 1e6) / messages;
    },
    close: () => Promise.all([s.close(), c.close()]),
  };
}
