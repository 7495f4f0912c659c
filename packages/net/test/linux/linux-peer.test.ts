/**
 * Linux as the peer: its own ping, nc and (for fragmented datagrams) a Node dgram socket run inside a
 * network namespace and talk to the stack through a TAP bridged by socat. Skipped, with the reason
 * printed, where the machine cannot create namespaces or TAP devices; SHOAL_REQUIRE_LINUX_PEER=1 (set by
 * .ci/run) turns that into a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NetStack } from "../../src/socket/stack.js";
import type { UdpMessage } from "../../src/socket/udp-socket.js";
import { type LinuxPeer, linuxPeerUnavailable, linuxPeerUp } from "./netns.js";

const unavailable = linuxPeerUnavailable();
if (unavailable !== undefined) {
  console.warn(`[net] Linux-peer tests skipped: ${unavailable}`);
}

describe("Linux peer available where required", () => {
  it("can set up the TAP bridge when SHOAL_REQUIRE_LINUX_PEER=1", () => {
    if (process.env.SHOAL_REQUIRE_LINUX_PEER === "1") expect(unavailable).toBeUndefined();
  });
});

describe.skipIf(unavailable !== undefined)("Linux peer over TAP", () => {
  let peer: LinuxPeer;
  let stack: NetStack;

  beforeAll(async () => {
    peer = await linuxPeerUp("lp");
    stack = new NetStack({ device: peer.device, mac: "02:00:00:77:00:02", ip: "10.77.0.2" });
    const echo = stack.createUdpSocket();
    await echo.bind(7);
    echo.on("message", (data, rinfo) => {
      void echo.send(data, rinfo.port, rinfo.address);
    });
  }, 30_000);

  afterAll(async () => {
    await stack?.close();
    peer?.down();
  });

  it("answers Linux's ping", async () => {
    const r = await peer.run(["ping", "-c", "3", "-i", "0.2", "-W", "2", "10.77.0.2"]);
    expect(r.stdout).toMatch(/3 packets transmitted, 3 received/);
    expect(r.code).toBe(0);
    expect(stack.iface.stats.icmpEchoReplies).toBeGreaterThanOrEqual(3);
    expect(stack.iface.stats.arpRepliesSent).toBeGreaterThanOrEqual(1);
  });

  it("answers a ping with a 4000-byte payload (Linux fragments, the stack reassembles and fragments back)", async () => {
    const r = await peer.run(["ping", "-c", "1", "-s", "4000", "-W", "2", "10.77.0.2"]);
    expect(r.stdout).toMatch(/1 received/);
    expect(stack.iface.stats.datagramsReassembled).toBeGreaterThanOrEqual(1);
  });

  it("echoes a datagram from Linux's nc -u", async () => {
    const r = await peer.run(["nc", "-u", "-w", "2", "-W", "1", "10.77.0.2", "7"], {
      input: "hello shoal\n",
    });
    expect(r.stdout).toBe("hello shoal\n");
  });

  it("sends datagrams to Linux's nc -u -l", async () => {
    const listening = peer.run(["nc", "-u", "-l", "-W", "1", "-w", "5", "10.77.0.1", "9999"]);
    const s = stack.createUdpSocket();
    // nc needs a moment to bind; resend until it has printed (bounded by nc's own timeout).
    let done = false;
    void listening.then(() => {
      done = true;
    });
    for (let i = 0; i < 40 && !done; i++) {
      await s.send(`from shoal ${i}\n`, 9999, "10.77.0.1");
      await new Promise((r) => setTimeout(r, 100));
    }
    const r = await listening;
    expect(r.stdout).toMatch(/^from shoal \d+\n$/);
    await s.close();
  });

  it("exchanges large, fragmented datagrams with a Linux UDP socket, and Linux sees port unreachable", async () => {
    const script = `
      const d = require("dgram").createSocket("udp4");
      const big = Buffer.alloc(6000); for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 255;
      const closed = require("dgram").createSocket("udp4");
      closed.on("error", (e) => { console.log("closed:" + e.code); finish(); });
      closed.connect(9, "10.77.0.2", () => closed.send("x"));
      let got = 0, left = 2;
      const finish = () => { if (--left === 0) process.exit(0); };
      d.on("message", (m) => { console.log("echo:" + (m.equals(big) ? "ok" : "bad " + m.length)); finish(); });
      d.bind(() => d.send(big, 7, "10.77.0.2"));
      setTimeout(() => { console.log("timeout"); process.exit(1); }, 5000);
    `;
    const r = await peer.run([process.execPath, "-e", script]);
    expect(r.stdout.split("\n").filter(Boolean).sort()).toEqual(["closed:ECONNREFUSED", "echo:ok"]);
    expect(stack.iface.stats.icmpUnreachableSent).toBeGreaterThanOrEqual(1);
  });

  it("receives Linux's datagrams through the async iterator", async () => {
    const sink = stack.createUdpSocket();
    await sink.bind(5555);
    const got: string[] = [];
    const reading = (async () => {
      for await (const m of sink as AsyncIterable<UdpMessage>) {
        got.push(m.data.toString());
        if (got.length === 3) await sink.close();
      }
    })();
    const script = `
      const d = require("dgram").createSocket("udp4");
      let i = 0;
      const next = () => { if (i === 3) return d.close(); d.send("m" + i++, 5555, "10.77.0.2", () => setTimeout(next, 20)); };
      next();
    `;
    await peer.run([process.execPath, "-e", script]);
    await Promise.race([
      reading,
      new Promise((_, rej) => setTimeout(() => rej(new Error("timeout")), 5000).unref()),
    ]);
    expect(got).toEqual(["m0", "m1", "m2"]);
  });
});
