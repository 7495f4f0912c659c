/**
 * Abandoned endpoints: an endpoint that is garbage-collected in the thread that made it, without ever
 * having been bound and without having been posted elsewhere, can never be bound. Its peer would wait
 * forever (and keep the process alive), so its peer fails with PEER_DIED instead, as if its thread had
 * died. An endpoint posted to a worker is that worker's: if the worker exits, the port closes and the
 * peer learns it the usual way; if it lives on and never binds, the binding's `timeoutMs` covers it.
 */
import type { MessagePort } from "node:worker_threads";
import { abandonLrpcEnd } from "./lrpc/lrpc-channel.js";
import { abandonPort, isPortClaimed } from "./port/port-channel.js";
import { CLOSE_ABANDONED, W_CLAIMED, W_CLOSED } from "./urpc/layout.js";

/** What is kept of an endpoint to act on its behalf once it is gone (never the endpoint itself). */
type Held =
  | {
      readonly transport: "urpc";
      readonly side: 0 | 1;
      readonly memory: SharedArrayBuffer;
      readonly port: MessagePort;
    }
  | { readonly transport: "port"; readonly port: MessagePort }
  | { readonly transport: "lrpc"; readonly id: string; readonly side: 0 | 1 };

/**
 * Takes the port back if it is still in this thread: a port posted to another thread is detached here,
 * and transferring it again throws. Null then (it is not ours to close).
 */
function reclaim(port: MessagePort): MessagePort | null {
  try {
    return structuredClone(port, { transfer: [port] });
  } catch {
    return null;
  }
}

function abandon(h: Held): void {
  switch (h.transport) {
    case "urpc": {
      const words = new Int32Array(h.memory, 0, 16);
      if (Atomics.load(words, W_CLAIMED + h.side) !== 0) return;
      const port = reclaim(h.port);
      if (port === null) return;
      // The peer reads why when its port's 'close' fires.
      Atomics.store(words, W_CLOSED + h.side, CLOSE_ABANDONED);
      port.close();
      return;
    }
    case "port": {
      if (isPortClaimed(h.port)) return;
      const port = reclaim(h.port);
      if (port !== null) abandonPort(port);
      return;
    }
    case "lrpc":
      abandonLrpcEnd(h.id, h.side);
      return;
  }
}

const registry = new FinalizationRegistry<Held>(abandon);

/** Watches an endpoint made by connectPair in this thread. */
export function watchEndpoint(endpoint: object, held: Held): void {
  registry.register(endpoint, held);
}
