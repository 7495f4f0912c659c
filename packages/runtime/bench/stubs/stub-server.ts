/**
 * The server end of interface bench, shared by the stub worker (urpc, port) and the single-thread lrpc
 * suite: answers ping with pong and echo with its argument, and counts throughput messages, sending
 * `done(count)` once it has the number it was told to expect.
 */
import { bytesCheck } from "./payloads.js";
import type { BenchBinding, BenchStubs } from "./stub-api.js";

/** A bound server end. */
export interface StubServer {
  /** Expect `count` throughput messages from now on (resets the count and check value). */
  expect(count: number): void;
  /** The check value folded over the messages counted since {@link expect}. */
  readonly check: number;
  /** The first error a handler hit (a failed send), or null. */
  readonly error: unknown;
  close(): Promise<void>;
}

/** Binds `endpoint` as the server. */
export function bindServer(Bench: BenchStubs, endpoint: unknown): StubServer {
  let expected = -1;
  let received = 0;
  let check = 0;
  let error: unknown = null;
  const fail = (e: unknown) => {
    error ??= e;
  };
  // Replies are not awaited one by one (a .catch per pong costs a promise and a microtask per message);
  // a rejection among them surfaces here instead, as on the client side.
  process.on("unhandledRejection", fail);
  const count = (value: number) => {
    check = (check + value) | 0;
    received += 1;
    if (received === expected) server.tx.done(BigInt(received)).catch(fail);
  };
  const server: BenchBinding = Bench.bind(endpoint, {
    rx: {
      ping(val) {
        void server.tx.pong(val);
      },
      // Word sums fold like wordsCheck (16 uint32s stay below 2^53, so one `| 0` at the end is exact).
      payload8(w0, w1) {
        count((w0 + w1) | 0);
      },
      // Named parameters, not a rest array: no allocation per message on the receive path.
      payload64(w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, w13, w14, w15) {
        count((w0 + w1 + w2 + w3 + w4 + w5 + w6 + w7 + w8 + w9 + w10 + w11 + w12 + w13 + w14 + w15) | 0);
      },
      payload256(data) {
        count(bytesCheck(data));
      },
      payload2048(data) {
        count(bytesCheck(data));
      },
    },
    rpc: { echo: (val) => ({ result: val }) },
  });
  return {
    expect(n) {
      expected = n;
      received = 0;
      check = 0;
    },
    get check() {
      return check;
    },
    get error() {
      return error;
    },
    close: () => {
      process.off("unhandledRejection", fail);
      return server.close();
    },
  };
}
