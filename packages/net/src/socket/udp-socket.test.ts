import { afterEach, describe, expect, it } from "vitest";
import { isNetError } from "../errors.js";
import { pairDevices } from "../phy/pair.js";
import { NetStack } from "./stack.js";
import type { UdpMessage } from "./udp-socket.js";

const stacks: NetStack[] = [];

function twoStacks() {
  const [da, db] = pairDevices();
  const a = new NetStack({
    device: da,
    mac: "02:00:00:00:00:01",
    ip: "10.77.0.1",
    neighbor: { retryIntervalMs: 20 },
  });
  const b = new NetStack({ device: db, mac: "02:00:00:00:00:02", ip: "10.77.0.2" });
  stacks.push(a, b);
  return { a, b };
}

afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

/** Reject if `p` takes longer than `ms` (every wait in a test is bounded). */
function within<T>(p: Promise<T>, ms = 5000): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref(),
    ),
  ]);
}

describe("UdpSocket over two stacks", () => {
  it("exchanges datagrams with an echo server (message events on one side, receive() on the other)", async () => {
    const { a, b } = twoStacks();
    const server = b.createUdpSocket();
    await server.bind(7);
    server.on("message", (data, rinfo) => {
      void server.send(data, rinfo.port, rinfo.address);
    });
    const client = a.createUdpSocket();
    const { port } = await client.bind();
    expect(port).toBeGreaterThanOrEqual(49152);
    await client.send("hello", 7, "10.77.0.2");
    const m = (await within(client.receive())) as UdpMessage;
    expect(m.data.toString()).toBe("hello");
    expect(m.rinfo).toEqual({ address: "10.77.0.2", family: "IPv4", port: 7, size: 5 });
  });

  it("delivers many datagrams in order through the async iterator, which ends on close", async () => {
    const { a, b } = twoStacks();
    const sink = b.createUdpSocket();
    await sink.bind(9000);
    const client = a.createUdpSocket();
    const n = 200;
    const got: number[] = [];
    const reading = (async () => {
      for await (const m of sink) {
        got.push(m.data.readUInt32BE(0));
        if (got.length === n) await sink.close();
      }
    })();
    for (let i = 0; i < n; i++) {
      const d = Buffer.alloc(1000);
      d.writeUInt32BE(i, 0);
      await client.send(d, 9000, "10.77.0.2");
    }
    await within(reading);
    expect(got).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it("sends datagrams larger than the MTU as fragments", async () => {
    const { a, b } = twoStacks();
    const sink = b.createUdpSocket();
    await sink.bind(9001);
    const big = Buffer.alloc(9000, 0x5a);
    await a.createUdpSocket().send(big, 9001, "10.77.0.2");
    const m = (await within(sink.receive())) as UdpMessage;
    expect(m.data.equals(big)).toBe(true);
    expect(b.iface.stats.datagramsReassembled).toBe(1);
  });

  it("rejects a second bind of a port with ADDR_IN_USE and bad arguments with BAD_OPTION", async () => {
    const { a } = twoStacks();
    await a.createUdpSocket().bind(53);
    await expect(a.createUdpSocket().bind(53)).rejects.toSatisfy((e) => isNetError(e, "ADDR_IN_USE"));
    const s = a.createUdpSocket();
    await expect(s.send("x", 0, "10.77.0.2")).rejects.toSatisfy((e) => isNetError(e, "BAD_OPTION"));
    await expect(s.send("x", 7, "10.77.0")).rejects.toSatisfy((e) => isNetError(e, "BAD_OPTION"));
  });

  it("reports ICMP port unreachable from the peer as an error event (REFUSED)", async () => {
    const { a } = twoStacks();
    const s = a.createUdpSocket();
    const err = new Promise((resolve) => s.once("error", resolve));
    await s.send("anyone?", 4242, "10.77.0.2");
    expect(isNetError(await within(err), "REFUSED")).toBe(true);
  });

  it("resolves send for a silent neighbour (queued), then rejects later sends once ARP failed", async () => {
    const { a } = twoStacks();
    const s = a.createUdpSocket();
    await s.send("x", 7, "10.77.0.99"); // queued behind ARP
    await within(
      (async () => {
        while (a.iface.stats.arpFailures === 0) await new Promise((r) => setTimeout(r, 10));
      })(),
    );
    await expect(s.send("x", 7, "10.77.0.99")).rejects.toSatisfy((e) => isNetError(e, "UNREACHABLE"));
  });

  it("closing the socket ends pending receives, and closed sockets refuse to send", async () => {
    const { a } = twoStacks();
    const s = a.createUdpSocket();
    await s.bind(1234);
    const pending = s.receive();
    await s.close();
    expect(await pending).toBeUndefined();
    await expect(s.send("x", 7, "10.77.0.2")).rejects.toSatisfy((e) => isNetError(e, "CLOSED"));
    // The port is free again.
    await a.createUdpSocket().bind(1234);
  });
});
