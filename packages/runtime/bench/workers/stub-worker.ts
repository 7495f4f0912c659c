/**
 * The server end of the urpc and port suites: binds each endpoint main posts with the generated stubs
 * (one connection at a time) and answers main's control messages. Everything measured goes through
 * the stubs; this port only sets runs up. It is also the far side of the paired floors: the raw-sab
 * ping-pong echo (`floor`) and the raw-sab ring's receiver (`floor-ring`), the same functions the raw-sab
 * worker runs, on the shared memory from `workerData`, run synchronously, so the stubs' dispatcher does
 * not run meanwhile and only two threads spin.
 */
import { parentPort, workerData } from "node:worker_threads";
import { describeError } from "../errors.js";
import { loadStubs } from "../stubs/load-stubs.js";
import type { StubCommand, StubReply, StubWorkerData } from "../stubs/stub-protocol.js";
import { bindServer, type StubServer } from "../stubs/stub-server.js";
import { echoPings } from "../workloads/raw-pingpong.js";
import { drain } from "../workloads/raw-ring.js";

const port = parentPort;
if (port === null) throw new Error("stub-worker must run in a worker thread");
const i32 = new Int32Array((workerData as StubWorkerData).memory);
const u32 = new Uint32Array(i32.buffer);
const reply = (m: StubReply | { kind: "failed"; message: string }) => port.postMessage(m);

const loaded = await loadStubs();
if ("unavailable" in loaded) {
  reply({ kind: "failed", message: loaded.unavailable });
} else {
  let server: StubServer | null = null;
  port.on("message", async (cmd: StubCommand) => {
    try {
      switch (cmd.kind) {
        case "bind":
          await server?.close();
          server = bindServer(loaded.Bench, cmd.endpoint);
          reply({ kind: "bound" });
          break;
        case "expect":
          server?.expect(cmd.count);
          reply({ kind: "expecting" });
          break;
        case "check":
          reply({
            kind: "check",
            value: server?.check ?? 0,
            error: server?.error == null ? null : describeError(server.error),
          });
          break;
        case "floor": {
          reply({ kind: "armed" });
          const error = echoPings(i32, cmd.start, cmd.count, cmd.timeoutMs);
          reply(
            error === null ? { kind: "finished", sum: 0 } : { kind: "failed", message: `floor: ${error}` },
          );
          break;
        }
        case "floor-ring": {
          reply({ kind: "armed" });
          const result = drain(i32, u32, cmd.payloadBytes, cmd.messages, cmd.startSeq, cmd.timeoutMs);
          reply(
            typeof result === "string"
              ? { kind: "failed", message: `floor-ring: ${result}` }
              : { kind: "finished", sum: result },
          );
          break;
        }
        case "unbind":
          await server?.close();
          server = null;
          reply({ kind: "unbound" });
          break;
      }
    } catch (e) {
      reply({ kind: "failed", message: `${cmd.kind}: ${describeError(e)}` });
    }
  });
  reply({ kind: "ready" });
}
