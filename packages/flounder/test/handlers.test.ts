/**
 * What happens around the handlers: a message handler that throws or rejects is reported (HANDLER_FAILED,
 * naming the message) without stopping delivery; a failing rpc handler fails the caller's promise; a
 * missing rpc handler is reported to the caller; responses are matched to calls by token; handlers
 * named like Object.prototype members (toString, valueOf, constructor) are not found by inheritance.
 */

import { join } from "node:path";
import type { ShoalError } from "@shoal/runtime";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type BindingClass,
  importBinding,
  loadModels,
  PACKAGE_DIR,
  scratchDir,
  writeStubs,
} from "./support/corpus.js";
import { loopbackPair, settle } from "./support/loopback.js";
import { pingPong } from "./support/models.js";

/** Calls method `name` of `obj` — also names that TypeScript resolves to Object.prototype's members. */
function invoke(obj: object, name: string, ...args: unknown[]): Promise<unknown> {
  return (Reflect.get(obj, name) as (...a: unknown[]) => Promise<unknown>).apply(obj, args);
}

let PingPong: BindingClass;
let Protoish: BindingClass;

beforeAll(async () => {
  PingPong = await importBinding(
    writeStubs([pingPong], scratchDir("handlers")).get("ping_pong") ?? "",
    "ping_pong",
  );
  const protoish = await loadModels([join(PACKAGE_DIR, "test/fixtures/protoish.if")]);
  Protoish = await importBinding(
    writeStubs(protoish, scratchDir("protoish")).get("protoish") ?? "",
    "protoish",
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
      ["HANDLER_FAILED", "ping", "ping_pong: handler of ping failed: boom"],
      ["HANDLER_FAILED", "ping", "ping_pong: handler of ping failed: async boom"],
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
      messageName: "testrpc",
      message: "ping_pong.testrpc: unlucky 13",
    });

    const [c, d] = loopbackPair(transport);
    PingPong.bindChannel(d);
    const lonely = PingPong.bindChannel(c);
    await expect(lonely.rpc.testrpc?.(1n)).rejects.toMatchObject({
      code: "RPC_FAILED",
      messageName: "testrpc",
      message: "ping_pong.testrpc: ping_pong: no handler for rpc testrpc",
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

  it("does not mistake inherited Object.prototype members for handlers", async () => {
    const errors: ShoalError[] = [];
    const [c, d] = loopbackPair(transport);
    Protoish.bindChannel(d, { onError: (e: ShoalError) => errors.push(e) });
    const client = Protoish.bindChannel(c);
    await invoke(client.tx, "toString", 1);
    await invoke(client.tx, "constructor");
    await expect(invoke(client.rpc, "valueOf", 1)).rejects.toMatchObject({ code: "RPC_FAILED" });
    await settle();
    expect(errors).toEqual([]);

    const [e, f] = loopbackPair(transport);
    const got: number[] = [];
    Protoish.bindChannel(f, {
      rx: { toString: (x: number) => void got.push(x) },
      rpc: { valueOf: (x: number) => ({ b: BigInt(x) * 2n }) },
    });
    const served = Protoish.bindChannel(e);
    await invoke(served.tx, "toString", 7);
    expect(await invoke(served.rpc, "valueOf", 21)).toEqual({ b: 42n });
    expect(got).toEqual([7]);
  });
});
