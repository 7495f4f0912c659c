/**
 * Endpoints: the structured-cloneable halves of a connection that {@link connectPair} returns. Post one
 * to a worker (`worker.postMessage(ep, transferList(ep))`: urpc and port endpoints carry a MessagePort)
 * and open it there with a generated `X.bind(endpoint)`, which calls {@link openChannel}.
 */
import type { MessagePort } from "node:worker_threads";
import type { Transport } from "./channel.js";

/** Marker field of every endpoint, checked by {@link openChannel}. */
export const ENDPOINT_TAG = "shoal.endpoint/1";

interface EndpointCommon {
  readonly tag: typeof ENDPOINT_TAG;
  /** Unique id of the connection (both endpoints share it). */
  readonly id: string;
  /** Which end: 0 or 1. */
  readonly side: 0 | 1;
  /** Send queue bound (ConnectOptions.sendQueue). */
  readonly sendQueue: number;
  /** The creating thread's spinning census (see dispatcher/census.ts), joined by the opening thread. */
  readonly census?: SharedArrayBuffer;
}

/**
 * A urpc end: the shared rings plus, for connections made by connectPair, a MessagePort used for setup
 * (doorbells) and liveness. A connection over a region of physical memory (connectRegion) has no port:
 * doorbells are found in that memory and liveness is a word in it, so the endpoint is plain data.
 */
export interface UrpcEndpoint extends EndpointCommon {
  readonly transport: "urpc";
  readonly memory: SharedArrayBuffer;
  /** Byte offset of the connection in `memory` (0 for connectPair's own buffer). */
  readonly offset?: number;
  readonly lines: number;
  /** ConnectOptions.receiveBudget. */
  readonly receiveBudget: number;
  readonly port?: MessagePort;
}

/** An lrpc end: usable only in the thread that created the pair. */
export interface LrpcEndpoint extends EndpointCommon {
  readonly transport: "lrpc";
  /** `threadId` of the creating thread. */
  readonly thread: number;
}

/** A port end: a MessagePort carrying word-form messages with credit-based flow control. */
export interface PortEndpoint extends EndpointCommon {
  readonly transport: "port";
  readonly credits: number;
  readonly port: MessagePort;
}

/**
 * One end of a connection. Treat it as opaque: pass it to `X.bind(endpoint)` (or {@link openChannel}) in
 * the thread that should own that end, or post it to a worker with {@link transferList}.
 */
export type Endpoint = UrpcEndpoint | LrpcEndpoint | PortEndpoint;

/** The transport of an endpoint. */
export function endpointTransport(ep: Endpoint): Transport {
  return ep.transport;
}

/**
 * The objects that must be transferred (not copied) when posting endpoints to another thread:
 * `worker.postMessage(ep, transferList(ep))`. Empty for lrpc endpoints (which cannot leave their thread).
 */
export function transferList(...endpoints: Endpoint[]): MessagePort[] {
  const out: MessagePort[] = [];
  for (const ep of endpoints) if (ep.transport !== "lrpc" && ep.port !== undefined) out.push(ep.port);
  return out;
}

/** True when `v` looks like an endpoint (the shape check of {@link openChannel}). */
export function isEndpoint(v: unknown): v is Endpoint {
  if (typeof v !== "object" || v === null) return false;
  const e = v as { tag?: unknown; transport?: unknown; side?: unknown; id?: unknown };
  return (
    e.tag === ENDPOINT_TAG &&
    (e.transport === "urpc" || e.transport === "lrpc" || e.transport === "port") &&
    (e.side === 0 || e.side === 1) &&
    typeof e.id === "string"
  );
}
