/** The far side of the postMessage baseline: echoes numbers and calls, counts payloads (see the protocol). */
import { parentPort } from "node:worker_threads";
import { CREDIT_EVERY, type PmReply, type PmRequest } from "../workloads/postmessage-protocol.js";

const port = parentPort;
if (port === null) throw new Error("postmessage-worker must run in a worker thread");
const reply = (m: PmReply) => port.postMessage(m);

let expected = 0;
let received = 0;
let bytes = 0;

port.on("message", (m: PmRequest) => {
  if (typeof m === "number") {
    port.postMessage(m);
  } else if (m instanceof Uint8Array) {
    received += 1;
    bytes += m.length;
    if (received === expected) reply({ kind: "done", count: bytes });
    else if (received % CREDIT_EVERY === 0) reply({ kind: "credit", count: CREDIT_EVERY });
  } else if (m.kind === "call") {
    reply({ kind: "ret", id: m.id, v: m.v });
  } else {
    expected = m.count;
    received = 0;
    bytes = 0;
    reply({ kind: "expecting" });
  }
});
reply({ kind: "ready" });
