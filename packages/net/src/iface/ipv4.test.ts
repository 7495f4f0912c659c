import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bytes,
  ETH_TO_STACK_IPV4,
  ICMP_ECHO,
  IP_ECHO,
  IP_LYING_OPTION,
  IP_UDP,
  LINUX_IP,
  LINUX_MAC,
  STACK_IP,
  UDP_HELLO,
} from "../../test/fixtures.js";
import { ipFrame, rawPeer, twoHosts, udpDatagram, withDstMac } from "../../test/harness.js";
import { isDrop } from "../wire/drop.js";
import { EthernetFrame } from "../wire/ethernet.js";
import { toHex } from "../wire/hex.js";
import { Icmp } from "../wire/icmp.js";
import { IP_PROTO_UDP, Ipv4 } from "../wire/ipv4.js";
import { Udp } from "../wire/udp.js";
import { totalDrops } from "./stats.js";

/** The IP header and payload of a frame the stack sent. */
function ipOf(frame: Uint8Array) {
  const eth = EthernetFrame.check(frame);
  if (isDrop(eth)) throw new Error(eth);
  const ip = Ipv4.parse(eth.payload);
  if (isDrop(ip)) throw new Error(ip);
  return { eth, ip, body: eth.payload.subarray(ip.headerLen, ip.headerLen + ip.payloadLen) };
}

/** A stack that already knows linux's MAC, so replies go out at once. */
function knownPeer() {
  const s = rawPeer();
  s.iface.neighbors.fill(LINUX_IP, LINUX_MAC, 0);
  return s;
}

describe("ICMP echo", () => {
  it("answers the fixture echo request with the exact reply", () => {
    const s = knownPeer();
    s.inject(0, bytes(ETH_TO_STACK_IPV4, IP_ECHO, ICMP_ECHO));
    const [f] = s.sent();
    const { eth, ip, body } = ipOf(f as Uint8Array);
    expect(eth.dst).toBe(LINUX_MAC);
    expect(ip).toMatchObject({ src: STACK_IP, dst: LINUX_IP, protocol: 1, ttl: 64 });
    expect(toHex(body)).toBe("00 00 5c 35 12 34 00 01 61 62 63 64 65 66 67 68");
    expect(s.iface.stats.icmpEchoReplies).toBe(1);
  });

  it("ignores broadcast echo requests and echo with a bad ICMP checksum (counted)", () => {
    const s = knownPeer();
    const echo = bytes(ICMP_ECHO);
    s.inject(0, ipFrame({ protocol: 1, dst: 0xffffffff }, echo));
    const bad = echo.slice();
    bad[9] = (bad[9] as number) ^ 1;
    s.inject(0, ipFrame({ protocol: 1 }, bad));
    expect(s.sent()).toHaveLength(0);
    expect(s.iface.stats.drops.icmp["bad-checksum"]).toBe(1);
  });
});

describe("ICMP destination unreachable", () => {
  it("answers a closed UDP port with port unreachable quoting header + 8 bytes", () => {
    const s = knownPeer();
    s.inject(0, bytes(ETH_TO_STACK_IPV4, IP_UDP, UDP_HELLO));
    const [f] = s.sent();
    const { body } = ipOf(f as Uint8Array);
    const m = Icmp.parse(body);
    if (isDrop(m) || m.kind !== "dest-unreachable") throw new Error("expected dest-unreachable");
    expect(m.code).toBe(3);
    expect(toHex(m.data)).toBe(`${IP_UDP} ${UDP_HELLO.slice(0, 23)}`);
    expect(s.udp.stats.rxNoSocket).toBe(1);
  });

  it("answers an unknown protocol with protocol unreachable, but never a broadcast", () => {
    const s = knownPeer();
    s.inject(0, ipFrame({ protocol: 99 }, bytes("01 02 03")));
    s.inject(0, ipFrame({ protocol: 99, dst: 0x0a4d00ff }, bytes("01 02 03")));
    const sent = s.sent();
    expect(sent).toHaveLength(1);
    const m = Icmp.parse(ipOf(sent[0] as Uint8Array).body);
    expect(isDrop(m) ? m : m.kind === "dest-unreachable" && m.code).toBe(2);
    expect(s.iface.stats.unknownProtocol).toBe(2);
  });

  it("delivers a received port unreachable to the UDP endpoint that sent the datagram", () => {
    const t = twoHosts();
    const errors: string[] = [];
    const ep = t.udpA.bind(5000, {
      onDatagram: () => {},
      onIcmpError: (k, _d, port) => errors.push(`${k}:${port}`),
    });
    ep.send(bytes("aa"), STACK_IP, 4444);
    t.pump(0);
    expect(errors).toEqual(["port-unreachable:4444"]);
  });
});

describe("IPv4 input", () => {
  it("drops malformed frames at the right layer and keeps working", () => {
    const s = knownPeer();
    const good = bytes(ETH_TO_STACK_IPV4, IP_ECHO, ICMP_ECHO);
    const flip = (i: number, v: number) => {
      const c = good.slice();
      c[i] = v;
      return c;
    };
    s.inject(
      0,
      good.subarray(0, 10), // truncated Ethernet
      good.subarray(0, 30), // truncated IPv4
      flip(14 + 11, 0), // bad IP header checksum
      flip(14 + 3, 0xff), // total length larger than the frame
      flip(14, 0x43), // IHL 3
      bytes(ETH_TO_STACK_IPV4, IP_LYING_OPTION, UDP_HELLO), // option length past the header
      withDstMac(good, 0x02_00_00_00_00_77), // another host's MAC
      ipFrame({ protocol: 1, dst: 0x0a4d0042 }, bytes(ICMP_ECHO)), // another host's IP
      ipFrame({ protocol: 1, src: 0xe0000001 }, bytes(ICMP_ECHO)), // multicast source
      ipFrame({ protocol: IP_PROTO_UDP }, udpDatagram(1, 7, bytes("00")).subarray(0, 7)), // truncated UDP
    );
    const d = s.iface.stats.drops;
    expect(d.ethernet).toMatchObject({ truncated: 1, "not-for-us": 1 });
    expect(d.ipv4).toMatchObject({ truncated: 2, "bad-checksum": 1, "bad-length": 1, "bad-option": 1 });
    expect(d.ipv4["not-for-us"]).toBe(1);
    expect(d.ipv4["bad-field"]).toBe(1);
    expect(d.l4.truncated).toBe(1);
    expect(totalDrops(s.iface.stats)).toBe(10);
    expect(s.sent()).toHaveLength(0);
    s.inject(0, good);
    expect(s.sent()).toHaveLength(1);
  });

  it("counts a bad UDP checksum as a transport drop, without an ICMP answer", () => {
    const s = knownPeer();
    const d = udpDatagram(1, 7, bytes("01 02"));
    d[8] = (d[8] as number) ^ 0xff;
    s.inject(0, ipFrame({ protocol: IP_PROTO_UDP }, d));
    expect(s.iface.stats.drops.l4["bad-checksum"]).toBe(1);
    expect(s.sent()).toHaveLength(0);
  });

  it("never throws on mutated frames, and counts every frame it takes", () => {
    const s = knownPeer();
    const seeds = [bytes(ETH_TO_STACK_IPV4, IP_ECHO, ICMP_ECHO), bytes(ETH_TO_STACK_IPV4, IP_UDP, UDP_HELLO)];
    let n = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: 1 }),
        fc.array(fc.tuple(fc.nat({ max: 60 }), fc.nat({ max: 255 })), { maxLength: 6 }),
        fc.nat({ max: 60 }),
        (which, edits, cut) => {
          const f = (seeds[which] as Uint8Array).slice(0, 14 + 20 + cut);
          for (const [i, v] of edits) if (i < f.length) f[i] = v;
          s.inject(0, f);
          n++;
          s.sent();
        },
      ),
      { numRuns: 500 },
    );
    expect(s.iface.stats.rxFrames).toBe(n);
  });
});

describe("fragmentation", () => {
  it("fragments a large datagram on send and reassembles it on receive", () => {
    const t = twoHosts();
    const got: Uint8Array[] = [];
    t.udpB.bind(7, { onDatagram: (d) => got.push(d.data) });
    const payload = Uint8Array.from({ length: 4000 }, (_, i) => (i * 7) & 0xff);
    t.udpA.bind(5000, { onDatagram: () => {} }).send(payload, STACK_IP, 7);
    t.pump(0);
    expect(t.a.stats.fragmentsSent).toBe(3);
    expect(t.b.stats.fragmentsReceived).toBe(3);
    expect(t.b.stats.datagramsReassembled).toBe(1);
    expect(got).toHaveLength(1);
    expect(Buffer.from(got[0] as Uint8Array).equals(Buffer.from(payload))).toBe(true);
  });

  /** Three fragments (0-1479, 1480-2959, 2960-end) of one UDP datagram to port 7 of `size` bytes. */
  function fragments(size: number, ident: number) {
    const payload = Uint8Array.from({ length: size }, (_, i) => (i * 13) & 0xff);
    const whole = udpDatagram(1234, 7, payload);
    const out: Uint8Array[] = [];
    for (let off = 0; off < whole.length; off += 1480) {
      const piece = whole.subarray(off, Math.min(whole.length, off + 1480));
      out.push(
        ipFrame(
          { protocol: IP_PROTO_UDP, ident, fragmentOffset: off, moreFragments: off + 1480 < whole.length },
          piece,
        ),
      );
    }
    return { payload, frames: out };
  }

  it("reassembles fragments arriving in any order, and duplicates", () => {
    const s = knownPeer();
    const got: Uint8Array[] = [];
    s.udp.bind(7, { onDatagram: (d) => got.push(d.data) });
    const { payload, frames } = fragments(3500, 42);
    const [f0, f1, f2] = frames as [Uint8Array, Uint8Array, Uint8Array];
    s.inject(0, f2, f0, f0, f1);
    expect(got).toHaveLength(1);
    expect(toHex(got[0] as Uint8Array)).toBe(toHex(payload));
    expect(s.iface.reassembler.size).toBe(0);
  });

  it("gives up a datagram after the timeout and frees its buffer", () => {
    const s = knownPeer();
    s.udp.bind(7, { onDatagram: () => {} });
    s.inject(0, fragments(3500, 1).frames[0] as Uint8Array);
    expect(s.iface.reassembler.size).toBe(1);
    expect(s.iface.pollAt(0)).toBe(15_000);
    s.iface.poll(15_000);
    expect(s.iface.reassembler.size).toBe(0);
    expect(s.iface.reassembler.bytes).toBe(0);
    expect(s.iface.stats.reassemblyDrops).toBe(1);
  });

  it("holds at most maxDatagrams and maxBytes, dropping the oldest", () => {
    const s = rawPeer({ reassembly: { maxDatagrams: 2, maxBytes: 8192 } });
    for (const id of [1, 2, 3]) s.inject(0, fragments(3500, id).frames[0] as Uint8Array);
    expect(s.iface.reassembler.size).toBe(2);
    expect(s.iface.stats.reassemblyDrops).toBe(1);
    expect(s.iface.reassembler.bytes).toBeLessThanOrEqual(8192);
    // Datagram 1 is gone: its remaining fragments start a new, incomplete datagram, never delivered.
    const got: Uint8Array[] = [];
    s.udp.bind(7, { onDatagram: (d) => got.push(d.data) });
    const f1 = fragments(3500, 3).frames;
    s.inject(0, f1[1] as Uint8Array, f1[2] as Uint8Array);
    expect(got).toHaveLength(1);
  });

  it("drops a datagram whose fragments disagree on its length", () => {
    const s = knownPeer();
    const got: Uint8Array[] = [];
    s.udp.bind(7, { onDatagram: (d) => got.push(d.data) });
    const { frames } = fragments(3500, 9);
    const lastEarly = ipFrame({ protocol: IP_PROTO_UDP, ident: 9, fragmentOffset: 1480 }, new Uint8Array(16));
    s.inject(0, frames[2] as Uint8Array, lastEarly, frames[0] as Uint8Array, frames[1] as Uint8Array);
    expect(got).toHaveLength(0);
    expect(s.iface.stats.reassemblyDrops).toBe(1);
  });
});

describe("IPv4 output", () => {
  it("uses TTL 64 by default, the per-datagram TTL when given, and increments the ident", () => {
    const s = knownPeer();
    const w = (buf: Uint8Array, ip: { src: number; dst: number }) =>
      Udp.emit({ srcPort: 1, dstPort: 2, payloadLen: 0 }, buf, ip.src, ip.dst);
    s.iface.emit({ src: 0, dst: LINUX_IP, protocol: IP_PROTO_UDP }, 8, w);
    s.iface.emit({ src: 0, dst: LINUX_IP, protocol: IP_PROTO_UDP, ttl: 3 }, 8, w);
    const [a, b] = s.sent().map((f) => ipOf(f).ip);
    expect(a?.ttl).toBe(64);
    expect(b?.ttl).toBe(3);
    expect(((b?.ident ?? 0) - (a?.ident ?? 0)) & 0xffff).toBe(1);
  });

  it("refuses destinations off-link without a gateway, and routes through one when set", () => {
    const s = rawPeer();
    const w = () => {};
    expect(s.iface.emit({ src: 0, dst: 0x08080808, protocol: 17 }, 8, w)).toBe("unreachable");
    const g = rawPeer({ gateway: "10.77.0.1" });
    g.iface.neighbors.fill(LINUX_IP, LINUX_MAC, 0);
    expect(g.iface.emit({ src: 0, dst: 0x08080808, protocol: 17 }, 8, w)).toBe("sent");
    const via = ipOf(g.sent()[0] as Uint8Array);
    expect([via.eth.dst, via.ip.dst]).toEqual([LINUX_MAC, 0x08080808]);
    expect(s.iface.emit({ src: 0, dst: 0xffffffff, protocol: 17 }, 8, w)).toBe("sent");
    expect(s.iface.emit({ src: 0, dst: 1, protocol: 17 }, 70_000, w)).toBe("too-big");
  });
});

describe("ICMP error rate limit", () => {
  it("sends at most a burst of errors, then refills at the configured rate", () => {
    const s = rawPeer({ icmpErrorRate: { perSecond: 10, burst: 3 } });
    s.iface.neighbors.fill(LINUX_IP, LINUX_MAC, 0);
    const closed = () => ipFrame({ protocol: IP_PROTO_UDP }, udpDatagram(1, 9, bytes("00")));
    for (let i = 0; i < 5; i++) s.inject(0, closed());
    expect(s.sent()).toHaveLength(3);
    expect(s.iface.stats.icmpRateLimited).toBe(2);
    s.inject(250, closed(), closed(), closed()); // 250 ms at 10/s: two tokens back
    expect(s.sent()).toHaveLength(2);
    // Echo replies are not limited.
    for (let i = 0; i < 5; i++) s.inject(250, bytes(ETH_TO_STACK_IPV4, IP_ECHO, ICMP_ECHO));
    expect(s.sent()).toHaveLength(5);
  });
});
