/**
 * The lrpc direct-call path of the generated stubs (a send calls the peer binding's `$recv_<message>`
 * when no delivery runs further up the stack, and queues otherwise), over the runtime's real lrpc
 * transport: order, constant stack depth, copies, handler failures and rpcs.
 */
import type { ShoalError } from "@shoal/runtime";
import { connectPair } from "@shoal/runtime";
import { describe, expect, it } from "vitest";
import { type BindingClass, importBinding, scratchDir, writeStubs } from "./support/corpus.js";
import { dyn, iface, msg, rpc, val } from "./support/models.js";

const model = iface("direct", [
  msg("seq", val("uint32", "n")),
  msg("bytes", dyn("uint8", "data", 16)),
  rpc("add", ["in", val("uint32", "x")], ["out", val("uint32", "y")]),
]);

async function load(): Promise<BindingClass> {
  const path = writeStubs([model], scratchDir("lrpc-direct")).get("direct") ?? "";
  return importBinding(path, "direct");
}

describe("lrpc direct calls", () => {
  it("keeps FIFO order when handlers send re-entrantly, in constant stack depth", async () => {
    const Direct = await load();
    const [a, b] = connectPair("lrpc");
    const got: number[] = [];
    const echoed: number[] = [];
    const total = 200_000;
    const server = Direct.bind(b, {
      rx: {
        // Sends from inside a delivery: queued behind the current one, never delivered in the middle of it.
        seq(n: number) {
          got.push(n);
          void server.tx.seq?.(n);
          void server.tx.seq?.(n);
        },
      },
    });
    let depth = 0;
    let maxDepth = 0;
    const client = Direct.bind(a, {
      rx: {
        seq(n: number) {
          depth++;
          maxDepth = Math.max(maxDepth, depth);
          echoed.push(n);
          if (n < total && echoed.length % 2 === 0) void client.tx.seq?.(n + 1);
          depth--;
        },
      },
    });
    await client.tx.seq?.(1);
    expect(got).toHaveLength(total);
    expect(got.every((n, i) => n === i + 1)).toBe(true);
    expect(echoed).toHaveLength(2 * total);
    expect(echoed.every((n, i) => n === (i >> 1) + 1)).toBe(true);
    expect(maxDepth).toBe(1);
    await client.close();
  });

  it("hands the receiver a copy of an array, reports a failing handler and goes on", async () => {
    const Direct = await load();
    const [a, b] = connectPair("lrpc");
    const received: Uint8Array[] = [];
    const errors: ShoalError[] = [];
    Direct.bind(b, {
      rx: {
        bytes(data: Uint8Array) {
          received.push(data);
          data[0] = 99;
          if (received.length === 1) throw new Error("first one fails");
        },
      },
      onError: (e: ShoalError) => errors.push(e),
    });
    const client = Direct.bind(a);
    const sent = Uint8Array.of(1, 2, 3);
    await expect(client.tx.bytes?.(sent)).resolves.toBeUndefined();
    await expect(client.tx.bytes?.(sent)).resolves.toBeUndefined();
    expect(sent).toEqual(Uint8Array.of(1, 2, 3));
    expect(received).toHaveLength(2);
    expect(received[0]).not.toBe(received[1]);
    expect(errors.map((e) => e.code)).toEqual(["HANDLER_FAILED"]);
    expect(errors[0]?.message).toContain("first one fails");
    await client.close();
  });

  it("answers rpcs and fails sends after close with CLOSED", async () => {
    const Direct = await load();
    const [a, b] = connectPair("lrpc");
    Direct.bind(b, { rpc: { add: (x: number) => ({ y: x + 1 }) } });
    const client = Direct.bind(a);
    for (let i = 0; i < 1000; i++) await expect(client.rpc.add?.(i)).resolves.toEqual({ y: i + 1 });
    await client.close();
    await expect(client.tx.seq?.(1)).rejects.toMatchObject({ code: "CLOSED" });
  });

  it("matches overlapping rpc responses that come back out of order, and fails all pending on close", async () => {
    const Direct = await load();
    const [a, b] = connectPair("lrpc");
    const held: { x: number; answer: (out: { y: number }) => void }[] = [];
    Direct.bind(b, {
      rpc: { add: (x: number) => new Promise<{ y: number }>((answer) => held.push({ x, answer })) },
    });
    const client = Direct.bind(a);
    // The first call takes the single-call slot, the others the map; answered last to first.
    const calls = [1, 2, 3].map((x) => client.rpc.add?.(x));
    expect(held.map((h) => h.x)).toEqual([1, 2, 3]);
    for (const h of [...held].reverse()) h.answer({ y: h.x * 10 });
    await expect(Promise.all(calls)).resolves.toEqual([{ y: 10 }, { y: 20 }, { y: 30 }]);
    // A new lone call reuses the slot; then two pending calls both fail when the channel closes.
    held.length = 0;
    const lone = client.rpc.add?.(4);
    held[0]?.answer({ y: 40 });
    await expect(lone).resolves.toEqual({ y: 40 });
    const pending = [5, 6].map((x) => client.rpc.add?.(x)?.catch((e: ShoalError) => e.code));
    await client.close();
    await expect(Promise.all(pending)).resolves.toEqual(["CLOSED", "CLOSED"]);
  });
});
