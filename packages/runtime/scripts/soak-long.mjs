#!/usr/bin/env node
// The long soak: millions of sequence-numbered messages between two workers over urpc (and port),
// checking that none is lost, duplicated or reordered. CI runs a short version (test/soak.test.ts).
// Usage: node scripts/soak-long.mjs [--count N] [--lines L] [--transport urpc|port]   (after pnpm build)
import { Worker } from "node:worker_threads";
import { connectPair, transferList } from "../dist/index.js";

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const count = Number(arg("count", "20000000"));
const lines = Number(arg("lines", "8"));
const transport = arg("transport", "urpc");
if (!Number.isInteger(count) || count <= 0) {
  console.error("--count must be a positive integer");
  process.exit(2);
}

const fixture = new URL("../test/fixtures/peer-worker.mjs", import.meta.url);
const [ea, eb] = connectPair(transport, transport === "urpc" ? { lines } : { credits: 64 });
const spawn = (role, endpoint) => {
  const w = new Worker(fixture, {
    workerData: { role, endpoint, count },
    transferList: transferList(endpoint),
  });
  w.on("error", (e) => {
    console.error(`${role} worker failed:`, e);
    process.exit(1);
  });
  return w;
};
const checker = spawn("check", eb);
const t0 = performance.now();
const sender = spawn("send", ea);
const report = () =>
  new Promise((resolve) => {
    checker.once("message", resolve);
    checker.postMessage("report");
  });
const ticker = setInterval(async () => {
  const r = await report();
  const s = (performance.now() - t0) / 1000;
  process.stdout.write(
    `\r${transport}: ${r.received.toLocaleString()} / ${count.toLocaleString()} in ${s.toFixed(1)} s, errors ${r.errors}   `,
  );
  if (r.errors > 0 || r.received >= count) {
    clearInterval(ticker);
    const rate = r.received / s / 1e6;
    console.log(
      `\n${r.errors === 0 ? "OK" : `FAILED (${r.firstError})`}: ${r.received} messages, ${rate.toFixed(2)} M msg/s`,
    );
    await Promise.all([sender.terminate(), checker.terminate()]);
    process.exit(r.errors === 0 && r.received === count ? 0 : 1);
  }
}, 1000);
