// A team member's worker entry: opens the control block, then runs each `execute` it is sent.
import { parentPort, workerData } from "node:worker_threads";
import { SabMemory, type SharedMemoryHandle } from "../memory/sab-memory.js";
import { TeamContext } from "./context.js";
import type { Region } from "./par.js";
import { type HostToMember, type MemberToHost, serializeError } from "./protocol.js";

const { control, tid, nthreads } = workerData as {
  control: SharedMemoryHandle;
  tid: number;
  nthreads: number;
};
const ctx = new TeamContext(SabMemory.open(control), tid, nthreads);
const port = parentPort;
if (port === null) throw new Error("member.js runs as a worker");
const send = (m: MemberToHost) => port.postMessage(m);

port.on("message", async (m: HostToMember) => {
  try {
    const mod = (await import(m.module)) as Record<string, unknown>;
    const fn = mod[m.name];
    if (typeof fn !== "function")
      throw new Error(`ENTRY_NOT_FOUND: ${m.module} exports no function ${m.name}`);
    send({ kind: "done", seq: m.seq, value: (fn as Region<unknown, unknown>)(ctx, m.arg) });
  } catch (e) {
    send({ kind: "error", seq: m.seq, error: serializeError(e) });
  }
});
send({ kind: "ready" });
