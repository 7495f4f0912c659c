#!/usr/bin/env node
// What the generated stub itself costs per message, without any transport: `tx.ping(v)` over a
// synchronous same-thread channel whose publish() hands the ring line straight to the peer's onWords
// (encode, fast-path publish, switch dispatch, decode, validation, handler call), against a hand-written
// baseline that writes and reads the same two words. Run after `pnpm build`:
//   node bench/stub-cost.mjs            (prints a table; medians of 15 batches of 1e6 messages)
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { checkFiles } from "@shoal/idl";
import ts from "typescript";
import { generate } from "../dist/index.js";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(pkg, ".tmp", "stub-cost");
mkdirSync(out, { recursive: true });
const { files } = await checkFiles([join(pkg, "../../interfaces/ping_pong.if")], {
  includes: [],
  defaultIncludes: true,
});
const model = files[0]?.ok ? files[0].result.model : undefined;
if (model === undefined) throw new Error("ping_pong.if does not check");
const js = ts.transpileModule(generate(model), {
  compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
}).outputText;
writeFileSync(join(out, "ping_pong.mjs"), js);
const { PingPong } = await import(pathToFileURL(join(out, "ping_pong.mjs")).href);

/** Two channel ends in one thread: publish() delivers the line synchronously to the peer. */
function syncPair() {
  const make = () => ({
    transport: "urpc",
    closed: false,
    words: new Uint32Array(16),
    rx: undefined,
    peer: undefined,
    open(_info, rx) {
      this.rx = rx;
    },
    tryLine() {
      return 0;
    },
    publish(num, token) {
      this.peer.rx.onWords(num, token, this.words, 0, [], []);
    },
    send() {
      throw new Error("not used");
    },
    canSend: () => true,
    whenSendable: () => Promise.resolve(),
    close: () => Promise.resolve(),
  });
  const a = make();
  const b = make();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

const N = 1_000_000;
const BATCHES = 15;
let sink = 0n;

function stubBatch(client) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) client.tx.ping(BigInt(i));
  return Number(process.hrtime.bigint() - t0) / N;
}

const scratch = new BigUint64Array(1);
const halves = new Uint32Array(scratch.buffer);
const line = new Uint32Array(16);
function rawBatch() {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    scratch[0] = BigInt(i);
    line[0] = halves[0];
    line[1] = halves[1];
    halves[0] = line[0];
    halves[1] = line[1];
    sink += scratch[0];
  }
  return Number(process.hrtime.bigint() - t0) / N;
}

const [a, b] = syncPair();
PingPong.bindChannel(b, {
  rx: {
    ping(v) {
      sink += v;
    },
  },
});
const client = PingPong.bindChannel(a);
const median = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const stub = [];
const raw = [];
for (let i = 0; i < BATCHES; i++) {
  stub.push(stubBatch(client));
  raw.push(rawBatch());
}
console.log("per message (median of batches)   ns");
console.log(`hand-written encode+decode        ${median(raw).toFixed(1)}`);
console.log(`generated tx.ping -> rx.ping       ${median(stub).toFixed(1)}`);
console.log(`(sink ${sink > 0n ? "ok" : "?"})`);
