// A core's thread scheduler as a worker entry: the scheduler (serve.ts) over the worker's parentPort.
import { parentPort, workerData } from "node:worker_threads";
import type { FromScheduler, ToScheduler } from "./protocol.js";
import { serveScheduler } from "./serve.js";

const { core } = workerData as { core: number };
const port = parentPort;
if (port === null) throw new Error("scheduler.js runs as a worker");
serveScheduler(
  core,
  (m: FromScheduler) => port.postMessage(m),
  (h: (m: ToScheduler) => void) => {
    port.on("message", h);
  },
);
