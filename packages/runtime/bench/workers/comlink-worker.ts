/** The far side of the Comlink baseline: exposes {@link ComlinkApi} on the worker's parent port. */
import { parentPort } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import type { ComlinkApi } from "../workloads/comlink-api.js";

const port = parentPort;
if (port === null) throw new Error("comlink-worker must run in a worker thread");

let bytes = 0;
const api: ComlinkApi = {
  echo: (v) => v,
  payload: (data) => {
    bytes += data.length;
  },
  takeBytes: () => {
    const b = bytes;
    bytes = 0;
    return b;
  },
};
Comlink.expose(api, nodeEndpoint(port));
port.postMessage({ kind: "ready" });
