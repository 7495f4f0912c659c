/**
 * The far side of the raw-sab floor: echoes ping-pong sequences and drains the ring, spinning on the
 * shared words (see raw-layout.ts). Commands arrive by postMessage; each one is answered with `armed`
 * just before the worker starts spinning and `finished` (or `failed`) after.
 */
import { parentPort, workerData } from "node:worker_threads";
import { echoPings } from "../workloads/raw-pingpong.js";
import type { RawCommand, RawReply } from "../workloads/raw-protocol.js";
import { drain } from "../workloads/raw-ring.js";

const port = parentPort;
if (port === null) throw new Error("raw-sab-worker must run in a worker thread");
const memory = (workerData as { memory: SharedArrayBuffer }).memory;
const i32 = new Int32Array(memory);
const u32 = new Uint32Array(memory);

function reply(m: RawReply): void {
  port?.postMessage(m);
}

port.on("message", (cmd: RawCommand) => {
  reply({ kind: "armed" });
  if (cmd.kind === "pingpong") {
    const error = echoPings(i32, cmd.start, cmd.count, cmd.timeoutMs);
    reply(error === null ? { kind: "finished", sum: 0 } : { kind: "failed", message: error });
  } else {
    // Drains the ring (raw-ring.ts), adding the messages to RECEIVED at the end.
    const result = drain(i32, u32, cmd.payloadBytes, cmd.messages, cmd.startSeq, cmd.timeoutMs);
    reply(
      typeof result === "string" ? { kind: "failed", message: result } : { kind: "finished", sum: result },
    );
  }
});
reply({ kind: "ready" });
