import { createSocket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { isNetError } from "../errors.js";
import { NetStack } from "../socket/stack.js";
import type { UdpMessage } from "../socket/udp-socket.js";
import { UdpTunnelDevice } from "./udp-tunnel.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function within<T>(p: Promise<T>, ms = 5000): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref(),
    ),
  ]);
}

/** A UDP port free right now on 127.0.0.1 (bound, read, released). */
async function freePort(): Promise<number> {
  const s = createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

describe("UdpTunnelDevice", () => {
  it("carries two stacks' frames over a pair of UDP sockets (the TAP bridge's transport, no root needed)", async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const a2 = await UdpTunnelDevice.open({ localPort: portA, remotePort: portB });
    const b = await UdpTunnelDevice.open({ localPort: portB, remotePort: portA });
    const sa = new NetStack({ device: a2, mac: "02:00:00:00:00:01", ip: "10.77.0.1" });
    const sb = new NetStack({ device: b, mac: "02:00:00:00:00:02", ip: "10.77.0.2" });
    cleanups.push(
      () => sa.close(),
      () => sb.close(),
    );
    const server = sb.createUdpSocket();
    await server.bind(7);
    server.on("message", (d, r) => void server.send(d, r.port, r.address));
    const client = sa.createUdpSocket();
    await client.send(Buffer.alloc(3000, 7), 7, "10.77.0.2");
    const m = (await within(client.receive())) as UdpMessage;
    expect(m.data.equals(Buffer.alloc(3000, 7))).toBe(true);
    expect(a2.stats.txFrames).toBeGreaterThanOrEqual(4); // ARP + 3 fragments
    expect(b.stats.rxFrames).toBe(a2.stats.txFrames);
  });

  it("drops oversized datagrams instead of handing them to the stack", async () => {
    const dev = await UdpTunnelDevice.open({ localPort: 0, remotePort: 9, maxFrame: 100 });
    cleanups.push(() => dev.close());
    const s = createSocket("udp4");
    cleanups.push(() => new Promise<void>((r) => s.close(() => r())));
    let woke: () => void = () => {};
    const arrived = new Promise<void>((r) => {
      woke = r;
    });
    dev.setWaker(() => woke());
    await new Promise<void>((r) => s.send(Buffer.alloc(200), dev.port, "127.0.0.1", () => r()));
    await new Promise<void>((r) => s.send(Buffer.alloc(60), dev.port, "127.0.0.1", () => r()));
    await within(arrived);
    expect(dev.receive(0)?.length).toBe(60);
    expect(dev.stats.rxDropped).toBe(1);
  });

  it("rejects with DEVICE when the port cannot be bound", async () => {
    const dev = await UdpTunnelDevice.open({ localPort: 0, remotePort: 9 });
    cleanups.push(() => dev.close());
    await expect(UdpTunnelDevice.open({ localPort: dev.port, remotePort: 9 })).rejects.toSatisfy((e) =>
      isNetError(e, "DEVICE"),
    );
  });
});
