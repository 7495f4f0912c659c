/**
 * Setting up connections: {@link connectPair} makes two connected endpoints, {@link openChannel} turns
 * one into a {@link Channel} in the thread that calls it (what a generated `X.bind(endpoint)` does).
 */
import { randomUUID } from "node:crypto";
import { MessageChannel, threadId } from "node:worker_threads";
import { watchEndpoint } from "./abandon.js";
import type { Channel, Transport } from "./channel.js";
import { censusBuffer, joinCensus } from "./dispatcher/census.js";
import { ENDPOINT_TAG, type Endpoint, isEndpoint } from "./endpoint.js";
import { checkEndpoint } from "./endpoint-check.js";
import { ShoalError } from "./errors.js";
import { LrpcChannel, registerLrpcPair } from "./lrpc/lrpc-channel.js";
import { type ConnectOptions, resolveConnectOptions } from "./options.js";
import { PortChannel } from "./port/port-channel.js";
import { createMemory } from "./urpc/layout.js";
import { UrpcChannel } from "./urpc/urpc-channel.js";

/**
 * Creates a connection over `transport` and returns its two ends. Open each with `X.bind(endpoint)` in
 * the thread that should own it; urpc and port endpoints may be posted to a worker first
 * (`worker.postMessage(ep, transferList(ep))`), lrpc endpoints must stay in this thread.
 * Throws BAD_OPTION for an unknown transport or invalid options.
 */
export function connectPair(transport: Transport, options?: ConnectOptions): [Endpoint, Endpoint] {
  const o = resolveConnectOptions(options);
  const id = randomUUID();
  const census = censusBuffer();
  switch (transport) {
    case "urpc": {
      const memory = createMemory(o.lines);
      const { port1, port2 } = new MessageChannel();
      const common = {
        tag: ENDPOINT_TAG,
        transport,
        id,
        census,
        memory,
        lines: o.lines,
        receiveBudget: o.receiveBudget,
        sendQueue: o.sendQueue,
      } as const;
      const ends: [Endpoint, Endpoint] = [
        { ...common, side: 0, port: port1 },
        { ...common, side: 1, port: port2 },
      ];
      watchEndpoint(ends[0], { transport, side: 0, memory, port: port1 });
      watchEndpoint(ends[1], { transport, side: 1, memory, port: port2 });
      return ends;
    }
    case "lrpc": {
      registerLrpcPair(id);
      const common = { tag: ENDPOINT_TAG, transport, id, thread: threadId, sendQueue: o.sendQueue } as const;
      const ends: [Endpoint, Endpoint] = [
        { ...common, side: 0 },
        { ...common, side: 1 },
      ];
      watchEndpoint(ends[0], { transport, id, side: 0 });
      watchEndpoint(ends[1], { transport, id, side: 1 });
      return ends;
    }
    case "port": {
      const { port1, port2 } = new MessageChannel();
      const common = {
        tag: ENDPOINT_TAG,
        transport,
        id,
        census,
        credits: o.credits,
        sendQueue: o.sendQueue,
      } as const;
      const ends: [Endpoint, Endpoint] = [
        { ...common, side: 0, port: port1 },
        { ...common, side: 1, port: port2 },
      ];
      watchEndpoint(ends[0], { transport, port: port1 });
      watchEndpoint(ends[1], { transport, port: port2 });
      return ends;
    }
    default:
      throw new ShoalError(
        "BAD_OPTION",
        `transport must be "urpc", "lrpc" or "port", got ${JSON.stringify(transport)}`,
      );
  }
}

/**
 * Opens `endpoint` in this thread. Each endpoint opens once (anywhere): a second open is BAD_ENDPOINT,
 * and so is a value that is not an endpoint or an lrpc endpoint outside its thread.
 */
export function openChannel(endpoint: Endpoint): Channel {
  if (!isEndpoint(endpoint)) {
    throw new ShoalError(
      "BAD_ENDPOINT",
      "not a shoal endpoint (make endpoints with connectPair or the name service)",
    );
  }
  checkEndpoint(endpoint);
  if (endpoint.census instanceof SharedArrayBuffer) joinCensus(endpoint.census);
  switch (endpoint.transport) {
    case "urpc":
      return new UrpcChannel(endpoint);
    case "lrpc":
      return LrpcChannel.claim(endpoint, threadId);
    case "port":
      return new PortChannel(endpoint);
  }
}
