/**
 * What happens around the handlers: a message handler that throws or rejects is reported (RPC_FAILED,
 * naming the message) without stopping delivery; a failing rpc handler fails the caller's promise; a
 * missing rpc handler is reported to the caller; responses are matched to calls by token.
 */
import type { ShoalError } from "@shoal/runtime";
import { beforeAll, describe, expect, it } from "vitest";
import { type BindingClass, importBinding, scratchDir, writeStubs } from "./support/corpus.js";
import { loopbackPair, settle } from "./support/loopback.js";
import { pingPong } from "./support/models.js";

let PingPong: BindingClass;

beforeAll(async () => {
  PingPong = await importBinding(
    writeStubs([pingPong], scratchDir("handlers")).get("ping_pong") ?? "",
    "ping_pong",
  );
});

describe.each(["urpc", "lrpc", "port"] as const)("handlers (%s)", (transport) => {
  it("reports a throwing or rejecting message handler and keeps delivering", async () => {
    const [a, b] = loopbackPair(transport);
    const errors: ShoalError[] = [];
    const got: bigint[] = [];
    PingPong.bindChannel(b, {
      rx: {
        ping(val: bigint) {
          got.push(val);
          if (val === 1n) throw new Error("boom");
          if (val === 2n) return Promise.reject(new Error("async boom"));
        },
      },
      onError: (e: ShoalError) => errors.push(e),
    });
    const client = PingPong.bindChannel(a);
    await client.tx.ping?.(1n);
    await client.tx.ping?.(2n);
    await client.tx.ping?.(3n);
    await settle();
    expect(got).toEqual([1n, 2n, 3n]);
    expect(errors.map((e) => [e.code, e.messageName, e.message])).toEqual([
      ["RPC_FAILED", "ping", "ping_pong: handler of ping failed: boom"],
      ["RPC_FAILED", "ping", "ping_pong: handler of ping failed: async boom"],
    ]);
  });

  it("answers concurrent calls by token and fails calls whose handler throws or is missing", async () => {
    const [a, b] = loopbackPair(transport);
    PingPong.bindChannel(b, {
      rpc: {
        testrpc: async (x: bigint) => {
          if (x === 13n) throw new Error(`unlucky ${x}`);
          await new Promise((r) => setTimeout(r, Number(x % 3n)));
          return { testout: x * 2n };
        },
      },
    });
    const client = PingPong.bindChannel(a);
    const results = await Promise.all([5n, 6n, 7n, 8n].map((x) => client.rpc.testrpc?.(x)));
    expect(results).toEqual([{ testout: 10n }, { testout: 12n }, { testout: 14n }, { testout: 16n }]);
    await expect(client.rpc.testrpc?.(13n)).rejects.toMatchObject({
      code: "RPC_FAILED",
      message: "unlucky 13",
    });

    const [c, d] = loopbackPair(transport);
    PingPong.bindChannel(d);
    const lonely = PingPong.bindChannel(c);
    await expect(lonely.rpc.testrpc?.(1n)).rejects.toMatchObject({
      code: "RPC_FAILED",
      message: "ping_pong: no handler for rpc testrpc",
    });
  });

  it("fails pending calls when the binding closes", async () => {
    const [a, b] = loopbackPair(transport);
    PingPong.bindChannel(b, { rpc: { testrpc: () => new Promise<never>(() => undefined) } });
    const client = PingPong.bindChannel(a);
    const pending = client.rpc.testrpc?.(1n);
    await settle();
    await client.close();
    await expect(pending).rejects.toMatchObject({ code: "CLOSED" });
    expect(client.closed).toBe(true);
  });
});
