import { describe, expect, it } from "vitest";
import { ARP_WHO_HAS, bytes, LINUX_IP, LINUX_MAC, STACK_IP, STACK_MAC } from "../../test/fixtures.js";
import { rawPeer, twoHosts } from "../../test/harness.js";
import { MAC_BROADCAST } from "../wire/address.js";
import { ARP_REPLY, ARP_REQUEST, Arp, type ArpRepr } from "../wire/arp.js";
import { isDrop } from "../wire/drop.js";
import { ETHERTYPE_ARP, Ethernet, EthernetFrame } from "../wire/ethernet.js";
import { IP_PROTO_UDP } from "../wire/ipv4.js";
import { Udp } from "../wire/udp.js";

function arpOf(frame: Uint8Array): ArpRepr & { ethDst: number } {
  const eth = EthernetFrame.check(frame);
  if (isDrop(eth) || eth.ethertype !== ETHERTYPE_ARP) throw new Error("not an ARP frame");
  const a = Arp.parse(eth.payload);
  if (isDrop(a)) throw new Error(a);
  return { ...a, ethDst: eth.dst };
}

function arpFrame(repr: ArpRepr, ethDst = MAC_BROADCAST): Uint8Array {
  const f = new Uint8Array(14 + 28);
  Ethernet.emit({ dst: ethDst, src: repr.senderMac, ethertype: ETHERTYPE_ARP }, f);
  Arp.emit(repr, f.subarray(14));
  return f;
}

/** A valid empty UDP datagram to port 9 (closed everywhere here). */
const emitUdp = (t: ReturnType<typeof twoHosts>["a"], dst: number) =>
  t.emit({ src: 0, dst, protocol: IP_PROTO_UDP }, 8, (buf, ip) =>
    Udp.emit({ srcPort: 9, dstPort: 9, payloadLen: 0 }, buf, ip.src, ip.dst),
  );

describe("ARP", () => {
  it("answers who-has for our address and learns the asker", () => {
    const s = rawPeer();
    s.inject(0, bytes("ff ff ff ff ff ff 02 00 00 00 00 01 08 06", ARP_WHO_HAS));
    const [reply, ...rest] = s.sent();
    expect(rest).toHaveLength(0);
    expect(arpOf(reply as Uint8Array)).toEqual({
      operation: ARP_REPLY,
      senderMac: STACK_MAC,
      senderIp: STACK_IP,
      targetMac: LINUX_MAC,
      targetIp: LINUX_IP,
      ethDst: LINUX_MAC,
    });
    expect(s.iface.neighbors.lookup(LINUX_IP, 0)).toBe(LINUX_MAC);
    expect(s.iface.stats.arpRepliesSent).toBe(1);
  });

  it("does not learn from requests for other hosts (no cache poisoning by broadcast)", () => {
    const s = rawPeer();
    s.inject(
      0,
      arpFrame({
        operation: ARP_REQUEST,
        senderMac: LINUX_MAC,
        senderIp: LINUX_IP,
        targetMac: 0,
        targetIp: 0x0a4d0063,
      }),
    );
    expect(s.sent()).toHaveLength(0);
    expect(s.iface.neighbors.lookup(LINUX_IP, 0)).toBeUndefined();
  });

  it("queues packets while resolving and sends them when the reply comes", () => {
    const t = twoHosts();
    expect(emitUdp(t.a, STACK_IP)).toBe("queued");
    expect(emitUdp(t.a, STACK_IP)).toBe("queued");
    expect(t.a.stats.arpRequestsSent).toBe(1);
    t.pump(0);
    expect(t.a.neighbors.lookup(STACK_IP, 0)).toBe(STACK_MAC);
    // Two datagrams, port 9 is closed: each answered with port unreachable, which proves delivery.
    expect(t.udpB.stats.rxNoSocket).toBe(2);
    expect(t.b.stats.icmpUnreachableSent).toBe(2);
    expect(emitUdp(t.a, STACK_IP)).toBe("sent");
  });

  it("retries a bounded number of times, then fails and drops the queue, and remembers the failure", () => {
    const t = twoHosts({ neighbor: { retryIntervalMs: 1000, maxRequests: 3, failureHoldMs: 3000 } });
    const nobody = 0x0a4d0009;
    expect(emitUdp(t.a, nobody)).toBe("queued");
    for (const now of [0, 500, 1000, 2000, 2999]) t.pump(now);
    expect(t.a.stats.arpRequestsSent).toBe(3);
    t.pump(3000);
    expect(t.a.stats.arpRequestsSent).toBe(3);
    expect(t.a.stats.arpFailures).toBe(1);
    expect(t.a.stats.arpQueueDrops).toBe(1);
    t.a.now = 3500;
    expect(emitUdp(t.a, nobody)).toBe("unreachable");
    t.a.now = 6001;
    expect(emitUdp(t.a, nobody)).toBe("queued");
  });

  it("bounds the frames queued behind one resolution", () => {
    const t = twoHosts({ neighbor: { maxQueuedPerNeighbor: 2 } });
    expect(emitUdp(t.a, 0x0a4d0009)).toBe("queued");
    expect(emitUdp(t.a, 0x0a4d0009)).toBe("queued");
    expect(emitUdp(t.a, 0x0a4d0009)).toBe("no-buffer");
  });

  it("expires entries after their lifetime and re-resolves", () => {
    const t = twoHosts({ neighbor: { entryTtlMs: 10_000 } });
    emitUdp(t.a, STACK_IP);
    t.pump(0);
    t.a.now = 9_999;
    expect(emitUdp(t.a, STACK_IP)).toBe("sent");
    t.a.now = 10_000;
    expect(emitUdp(t.a, STACK_IP)).toBe("queued");
    expect(t.a.stats.arpRequestsSent).toBe(2);
  });

  it("announces itself with a gratuitous ARP on the first poll; peers that knew it update their entry", () => {
    const t = twoHosts({}, { gratuitousArp: true });
    t.a.neighbors.fill(STACK_IP, 0x02_00_00_00_00_99, 0); // a stale MAC for the stack
    t.b.poll(0);
    expect(t.b.stats.gratuitousArpsSent).toBe(1);
    const frame = t.da.receive(0) as Uint8Array;
    expect(arpOf(frame)).toMatchObject({ operation: ARP_REQUEST, senderIp: STACK_IP, targetIp: STACK_IP });
    t.da.deliver(frame);
    t.a.poll(0);
    expect(t.a.neighbors.lookup(STACK_IP, 0)).toBe(STACK_MAC);
    expect(t.a.stats.arpRepliesSent).toBe(0);
  });

  it("ignores a host claiming our address and group sender MACs, counting them", () => {
    const s = rawPeer();
    s.inject(
      0,
      arpFrame({
        operation: ARP_REPLY,
        senderMac: LINUX_MAC,
        senderIp: STACK_IP,
        targetMac: STACK_MAC,
        targetIp: STACK_IP,
      }),
      arpFrame({
        operation: ARP_REQUEST,
        senderMac: 0x01_00_5e_00_00_01,
        senderIp: LINUX_IP,
        targetMac: 0,
        targetIp: STACK_IP,
      }),
    );
    expect(s.sent()).toHaveLength(0);
    expect(s.iface.stats.drops.arp["bad-field"]).toBe(2);
    expect(s.iface.neighbors.size).toBe(0);
  });

  it("drops truncated and foreign ARP packets, counted", () => {
    const s = rawPeer();
    const good = bytes("ff ff ff ff ff ff 02 00 00 00 00 01 08 06", ARP_WHO_HAS);
    const ipx = good.slice();
    ipx[14 + 3] = 0x37; // ptype 0x0837
    s.inject(0, good.subarray(0, 14 + 20), ipx);
    expect(s.iface.stats.drops.arp.truncated).toBe(1);
    expect(s.iface.stats.drops.arp.unsupported).toBe(1);
    expect(s.sent()).toHaveLength(0);
  });
});
