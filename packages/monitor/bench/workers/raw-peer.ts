/**
 * The raw baselines' worker: the same PingPong stubs and loops as the domains, over the bare runtime
 * (no CPU driver, no monitor). Roles: `lrpc` runs both ends in this thread (as two domains on one core
 * do), `server` answers on the endpoint it is given, `client` measures over it and posts the figure.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PingPong } from "@shoal/libshoal/interfaces/ping_pong";
import { connectPair, type Endpoint } from "@shoal/runtime";
import { oneWayNs, PongSink, pipelinedPerS, WINDOW, warmUp } from "../loops.js";

export interface RawPeerData {
  readonly role: "lrpc" | "server" | "client";
  readonly mode: "oneway" | "pipelined";
  readonly count: number;
  /** Warm-up before the measurement (ms). */
  readonly warmMs: number;
  readonly endpoint?: Endpoint;
}

const data = workerData as RawPeerData;
const port = parentPort;
if (port === null) throw new Error("raw-peer runs as a worker thread");

function serve(ep: Endpoint): void {
  const b = PingPong.bind(ep, {
    rx: {
      ping(val: bigint) {
        void b.tx.pong(val + 1n);
      },
    },
    rpc: { testrpc: (testin: bigint) => ({ testout: testin + 1n }) },
  });
}

async function measure(ep: Endpoint): Promise<number> {
  const sink = new PongSink();
  const pp = PingPong.bind(ep, { rx: { pong: (v: bigint) => sink.pong(v) } });
  if (data.mode === "oneway") {
    await warmUp(() => oneWayNs(pp, sink, 1_000), data.warmMs);
    return oneWayNs(pp, sink, data.count);
  }
  await warmUp(() => pipelinedPerS(pp, sink, 2_000, WINDOW), data.warmMs);
  return pipelinedPerS(pp, sink, data.count, WINDOW);
}

if (data.role === "server") serve(data.endpoint as Endpoint);
else {
  let ep = data.endpoint as Endpoint;
  if (data.role === "lrpc") {
    const [a, b] = connectPair("lrpc");
    serve(a);
    ep = b;
  }
  measure(ep).then(
    (value) => port.postMessage({ ok: true, value }),
    (e: unknown) => port.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) }),
  );
}
