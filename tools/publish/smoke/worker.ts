/**
 * The server core of the smoke ping-pong: binds the endpoint it was handed, answers every `ping(n)` with
 * `pong(n + 1)` and `testrpc(x)` with `x + 1`, echoes `str` and `arr`, and on `stop` closes its binding and
 * tells the main thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PingPong } from "./gen/ping_pong.js";
import { describe } from "./timeout.js";

type Endpoint = Parameters<typeof PingPong.bind>[0];
type Binding = ReturnType<typeof PingPong.bind>;

const port = parentPort;
if (port === null) throw new Error("worker.ts must run in a worker thread");
const { endpoint } = workerData as { endpoint: Endpoint };

const fail = (what: string, err: unknown): void => {
  port.postMessage({ kind: "error", message: `worker: ${what}: ${describe(err)}` });
};

// The handlers need the binding they belong to, which exists only once bind() returns.
let server: Binding | undefined;
server = PingPong.bind(endpoint, {
  rx: {
    ping(val) {
      server?.tx.pong(val + 1n).catch((err: unknown) => fail(`tx.pong(${val + 1n})`, err));
    },
    // Strings and byte arrays travel as overflow runs over several lines: echo them back unchanged.
    str(id, s) {
      server?.tx.str(id, s).catch((err: unknown) => fail(`tx.str(${id})`, err));
    },
    arr(id, a) {
      server?.tx.arr(id, a).catch((err: unknown) => fail(`tx.arr(${id})`, err));
    },
    stop() {
      (server?.close() ?? Promise.resolve()).then(
        () => port.postMessage({ kind: "stopped" }),
        (err: unknown) => fail("close", err),
      );
    },
  },
  rpc: {
    testrpc: async (testin) => ({ testout: testin + 1n }),
  },
});
port.postMessage({ kind: "bound" });
