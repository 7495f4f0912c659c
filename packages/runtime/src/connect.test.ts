import { MessageChannel } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { connectPair, openChannel } from "./connect.js";
import { type Endpoint, transferList } from "./endpoint.js";

describe("openChannel", () => {
  it.each([null, 42, "urpc", {}, { tag: "shoal.endpoint/1", transport: "tcp", side: 0, id: "x" }])(
    "refuses %j with BAD_ENDPOINT",
    (v) => {
      expect(() => openChannel(v as unknown as Endpoint)).toThrow(
        expect.objectContaining({ code: "BAD_ENDPOINT" }),
      );
    },
  );

  it("refuses an lrpc endpoint from another thread with BAD_ENDPOINT", () => {
    const [a] = connectPair("lrpc");
    const foreign = { ...a, thread: (a as { thread: number }).thread + 1000 } as Endpoint;
    expect(() => openChannel(foreign)).toThrow(expect.objectContaining({ code: "BAD_ENDPOINT" }));
  });

  it("lists the ports to transfer: one per urpc or port endpoint, none for lrpc", () => {
    const [u] = connectPair("urpc");
    const [p] = connectPair("port");
    const [l] = connectPair("lrpc");
    expect(transferList(u, p, l)).toHaveLength(2);
  });

  it("makes endpoints that survive structured cloning with their ports transferred", async () => {
    const [a, b] = connectPair("urpc");
    const { port1, port2 } = new MessageChannel();
    const got = new Promise<Endpoint>((resolve) => {
      port2.once("message", (m: Endpoint) => resolve(m));
    });
    port1.postMessage(b, transferList(b));
    const copy = await got;
    expect(copy.transport).toBe("urpc");
    const ch = openChannel(copy);
    const other = openChannel(a);
    await ch.close();
    await other.close();
    port1.close();
    port2.close();
  });
});
