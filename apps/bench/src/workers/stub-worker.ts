/**
 * The server end of the urpc and port suites: binds each endpoint main posts with the generated stubs
 * (one connection at a time) and answers main's control messages. Everything measured goes through
 * the stubs; this port only sets runs up.
 */
import { parentPort } from "node:worker_threads";
import { describeError } from "../errors.js";
import { loadStubs } from "../stubs/load-stubs.js";
import type { StubCommand, StubReply } from "../stubs/stub-protocol.js";
import { bindServer, type StubServer } from "../stubs/stub-server.js";

const port = parentPort;
if (port === null) throw new Error("stub-worker must run in a worker thread");
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
