/**
 * Setting up connections: {@link connectPair} makes two connected endpoints, {@link openChannel} turns
 * one into a {@link Channel} in the thread that calls it (what a generated `X.bind(endpoint)` does).
 */
import { randomUUID } from "node:crypto";
import { MessageChannel, threadId } from "node:worker_threads";
import type { Channel, Transport } from "./channel.js";
import { ENDPOINT_TAG, type Endpoint, isEndpoint } from "./endpoint.js";
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
  switch (transport) {
    case "urpc": {
      const memory = createMemory(o.lines);
      const { port1, port2 } = new MessageChannel();
      const common = {
        tag: ENDPOINT_TAG,
        transport,
        id,
        memory,
        lines: o.lines,
        sendQueue: o.sendQueue,
      } as const;
      return [
        { ...common, side: 0, port: port1 },
        { ...common, side: 1, port: port2 },
      ];
    }
    case "lrpc": {
      registerLrpcPair(id);
      const common = { tag: ENDPOINT_TAG, transport, id, thread: threadId, sendQueue: o.sendQueue } as const;
      return [
        { ...common, side: 0 },
        { ...common, side: 1 },
      ];
    }
    case "port": {
      const { port1, port2 } = new MessageChannel();
      const common = {
        tag: ENDPOINT_TAG,
        transport,
        id,
        credits: o.credits,
        sendQueue: o.sendQueue,
      } as const;
      return [
        { ...common, side: 0, port: port1 },
        { ...common, side: 1, port: port2 },
      ];
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
  switch (endpoint.transport) {
    case "urpc":
      if (!(endpoint.memory instanceof SharedArrayBuffer))
        throw new ShoalError("BAD_ENDPOINT", "urpc endpoint without shared memory");
      return new UrpcChannel(endpoint);
    case "lrpc":
      return LrpcChannel.claim(endpoint, threadId);
    case "port":
      return new PortChannel(endpoint);
  }
}
