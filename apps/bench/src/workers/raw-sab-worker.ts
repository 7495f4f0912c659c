/**
 * The far side of the raw-sab floor: echoes ping-pong sequences and drains the ring, spinning on the
 * shared words (see raw-layout.ts). Commands arrive by postMessage; each one is answered with `armed`
 * just before the worker starts spinning and `finished` (or `failed`) after.
 */
import { parentPort, workerData } from "node:worker_threads";
import {
  CONSUMED,
  CONTROL_WORD,
  LINE_WORDS,
  linesPerMessage,
  PAYLOAD_WORDS,
  RECEIVED,
  RING,
  RING_MESSAGES,
} from "../workloads/raw-layout.js";
import { echoPings, why } from "../workloads/raw-pingpong.js";
import type { RawCommand, RawReply } from "../workloads/raw-protocol.js";
import { REACHED, waitUntilReached } from "../workloads/spin-wait.js";

const port = parentPort;
if (port === null) throw new Error("raw-sab-worker must run in a worker thread");
const memory = (workerData as { memory: SharedArrayBuffer }).memory;
const i32 = new Int32Array(memory);
const u32 = new Uint32Array(memory);

function reply(m: RawReply): void {
  port?.postMessage(m);
}

/**
 * Drains `messages` messages of `payloadBytes` from the ring, reading every payload word into a sum
 * (so the floor moves the same bytes as a stub receiver), and publishes CONSUMED every quarter ring or
 * whenever it finds the ring empty, so the sender rarely has to re-read it.
 */
function drain(payloadBytes: number, messages: number, startSeq: number, timeoutMs: number): number | string {
  const lines = linesPerMessage(payloadBytes);
  const capacity = RING_MESSAGES * lines;
  const publishEvery = Math.max(1, capacity >> 2);
  const words = payloadBytes >> 2;
  let seq = startSeq;
  let slot = seq % capacity;
  let published = seq;
  let sum = 0;
  for (let m = 0; m < messages; m++) {
    let left = words;
    for (let k = 0; k < lines; k++) {
      const base = RING + slot * LINE_WORDS;
      if (Atomics.load(i32, base + CONTROL_WORD) !== seq + 1) {
        // Ring empty: tell the sender everything so far is free before spinning.
        if (published !== seq) {
          Atomics.store(i32, CONSUMED, seq);
          published = seq;
        }
        const outcome = waitUntilReached(i32, base + CONTROL_WORD, seq + 1, timeoutMs);
        if (outcome !== REACHED) return why(outcome, `ring line ${seq}`);
      }
      const n = Math.min(left, PAYLOAD_WORDS);
      for (let j = 0; j < n; j++) sum = (sum + (u32[base + j] as number)) | 0;
      left -= n;
      seq += 1;
      slot = slot + 1 === capacity ? 0 : slot + 1;
      if (seq - published >= publishEvery) {
        // Release: the sender may now overwrite every line before `seq`.
        Atomics.store(i32, CONSUMED, seq);
        published = seq;
      }
    }
  }
  Atomics.store(i32, CONSUMED, seq);
  return sum;
}

port.on("message", (cmd: RawCommand) => {
  reply({ kind: "armed" });
  if (cmd.kind === "pingpong") {
    const error = echoPings(i32, cmd.start, cmd.count, cmd.timeoutMs);
    reply(error === null ? { kind: "finished", sum: 0 } : { kind: "failed", message: error });
  } else {
    const result = drain(cmd.payloadBytes, cmd.messages, cmd.startSeq, cmd.timeoutMs);
    if (typeof result === "string") {
      reply({ kind: "failed", message: result });
    } else {
      // Release: main polls RECEIVED to stop its clock; everything above is done.
      Atomics.add(i32, RECEIVED, cmd.messages);
      reply({ kind: "finished", sum: result });
    }
  }
});
reply({ kind: "ready" });
