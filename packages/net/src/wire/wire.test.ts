import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ARP_WHO_HAS,
  bytes,
  ETH_TO_STACK_IPV4,
  ICMP_ECHO,
  IP_ECHO,
  IP_LYING_OPTION,
  IP_UDP,
  IP_WITH_OPTIONS,
  IP_ZERO_LEN_OPTION,
  LINUX_IP,
  LINUX_MAC,
  STACK_IP,
  STACK_MAC,
  UDP_HELLO,
} from "../../test/fixtures.js";
import { formatIpv4, formatMac, parseIpv4, parseMac, prefixMask } from "./address.js";
import { ARP_REQUEST, Arp } from "./arp.js";
import { isDrop } from "./drop.js";
import { ETHERTYPE_IPV4, Ethernet, EthernetFrame } from "./ethernet.js";
import { toHex } from "./hex.js";
import { Icmp } from "./icmp.js";
import { IP_PROTO_UDP, Ipv4 } from "./ipv4.js";
import { Udp } from "./udp.js";

describe("addresses", () => {
  it("round-trips IPv4 and MAC text", () => {
    expect(parseIpv4("10.77.0.1")).toBe(LINUX_IP);
    expect(formatIpv4(0xc0a800ff)).toBe("192.168.0.255");
    expect(parseMac("02:00:00:00:00:01")).toBe(LINUX_MAC);
    expect(formatMac(0xffff_ffff_fffe)).toBe("ff:ff:ff:ff:ff:fe");
    expect(prefixMask(24)).toBe(0xffffff00);
    expect(prefixMask(0)).toBe(0);
    expect(() => parseIpv4("10.0.0.256")).toThrow(/IPv4 address/);
    expect(() => parseMac("02:00:00:00:00")).toThrow(/MAC address/);
  });
});

describe("Ethernet", () => {
  it("parses and re-emits the fixture header", () => {
    const frame = bytes(ETH_TO_STACK_IPV4, IP_ECHO, ICMP_ECHO);
    const view = EthernetFrame.check(frame);
    if (isDrop(view)) throw new Error(view);
    const repr = Ethernet.parse(view);
    expect(repr).toEqual({ dst: STACK_MAC, src: LINUX_MAC, ethertype: ETHERTYPE_IPV4 });
    expect(view.payload.byteOffset).toBe(frame.byteOffset + 14);
    const out = new Uint8Array(14);
    Ethernet.emit(repr, out);
    expect(toHex(out)).toBe(ETH_TO_STACK_IPV4);
  });
  it("drops a truncated header", () => {
    expect(EthernetFrame.check(new Uint8Array(13))).toBe("truncated");
  });
});

describe("ARP", () => {
  it("parses who-has and round-trips", () => {
    const repr = Arp.parse(bytes(ARP_WHO_HAS));
    expect(repr).toEqual({
      operation: ARP_REQUEST,
      senderMac: LINUX_MAC,
      senderIp: LINUX_IP,
      targetMac: 0,
      targetIp: STACK_IP,
    });
    if (isDrop(repr)) throw new Error(repr);
    const out = new Uint8Array(Arp.bufferLen());
    Arp.emit(repr, out);
    expect(toHex(out)).toBe(ARP_WHO_HAS);
  });
  it("drops truncated, non-Ethernet/IPv4 and unknown operations", () => {
    const b = bytes(ARP_WHO_HAS);
    expect(Arp.parse(b.subarray(0, 27))).toBe("truncated");
    const wrongHlen = b.slice();
    wrongHlen[4] = 8;
    expect(Arp.parse(wrongHlen)).toBe("unsupported");
    const op = b.slice();
    op[7] = 9;
    expect(Arp.parse(op)).toBe("unsupported");
  });
});

describe("IPv4", () => {
  it("parses the echo fixture and re-emits it byte for byte", () => {
    const b = bytes(IP_ECHO, ICMP_ECHO);
    const repr = Ipv4.parse(b);
    if (isDrop(repr)) throw new Error(repr);
    expect(repr).toMatchObject({
      src: LINUX_IP,
      dst: STACK_IP,
      protocol: 1,
      ttl: 64,
      ident: 0xabcd,
      dontFragment: true,
      moreFragments: false,
      fragmentOffset: 0,
      headerLen: 20,
      payloadLen: 16,
    });
    const out = new Uint8Array(20);
    Ipv4.emit({ ...repr, payloadLen: repr.payloadLen }, out);
    expect(toHex(out)).toBe(IP_ECHO);
  });

  it("accepts well-formed options and rejects lying ones", () => {
    const ok = Ipv4.parse(bytes(IP_WITH_OPTIONS, UDP_HELLO));
    expect(isDrop(ok) ? ok : ok.headerLen).toBe(32);
    expect(Ipv4.parse(bytes(IP_LYING_OPTION, UDP_HELLO))).toBe("bad-option");
    expect(Ipv4.parse(bytes(IP_ZERO_LEN_OPTION, UDP_HELLO))).toBe("bad-option");
  });

  it("drops bad checksums, versions and lengths", () => {
    const good = bytes(IP_ECHO, ICMP_ECHO);
    const mutate = (i: number, v: number) => {
      const c = good.slice();
      c[i] = v;
      return c;
    };
    expect(Ipv4.parse(mutate(11, 0x70))).toBe("bad-checksum");
    expect(Ipv4.parse(mutate(0, 0x65))).toBe("unsupported");
    expect(Ipv4.parse(mutate(0, 0x44))).toBe("bad-length"); // IHL 4
    expect(Ipv4.parse(mutate(3, 0x10))).toBe("bad-length"); // total 16 < header 20
    expect(Ipv4.parse(mutate(3, 0xff))).toBe("truncated"); // total 255 > 36 bytes present
    expect(Ipv4.parse(good.subarray(0, 19))).toBe("truncated");
  });

  it("trims Ethernet padding: the payload length comes from the total length", () => {
    const padded = bytes(IP_UDP, UDP_HELLO, "00 00 00 00 00 00 00 00 00 00 00 00 00");
    const repr = Ipv4.parse(padded);
    expect(isDrop(repr) ? repr : repr.payloadLen).toBe(13);
  });

  it("round-trips any header it emits", () => {
    fc.assert(
      fc.property(
        fc.record({
          src: fc.nat({ max: 0xffffffff }),
          dst: fc.nat({ max: 0xffffffff }),
          protocol: fc.nat({ max: 255 }),
          ttl: fc.nat({ max: 255 }),
          ident: fc.nat({ max: 0xffff }),
          payloadLen: fc.nat({ max: 1480 }).map((n) => n & ~7),
          dontFragment: fc.boolean(),
          moreFragments: fc.boolean(),
          fragmentOffset: fc.nat({ max: 8000 }).map((n) => n & ~7),
        }),
        (r) => {
          const b = new Uint8Array(20 + r.payloadLen);
          Ipv4.emit(r, b);
          expect(Ipv4.parse(b)).toMatchObject({ ...r, headerLen: 20 });
        },
      ),
    );
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        const r = Ipv4.parse(b);
        if (!isDrop(r)) expect(r.headerLen + r.payloadLen).toBeLessThanOrEqual(b.length);
      }),
    );
  });
});

describe("UDP", () => {
  it("parses the fixture, verifies its checksum and re-emits it", () => {
    const b = bytes(UDP_HELLO);
    const repr = Udp.parse(b, LINUX_IP, STACK_IP);
    expect(repr).toEqual({ srcPort: 40000, dstPort: 7, payloadLen: 5 });
    if (isDrop(repr)) throw new Error(repr);
    const out = b.slice();
    out.fill(0, 0, 8);
    Udp.emit(repr, out, LINUX_IP, STACK_IP);
    expect(toHex(out)).toBe(UDP_HELLO);
  });
  it("drops bad checksums (including a wrong pseudo-header) and lying lengths; accepts checksum 0", () => {
    const b = bytes(UDP_HELLO);
    expect(Udp.parse(b, LINUX_IP, STACK_IP + 1)).toBe("bad-checksum");
    const flipped = b.slice();
    flipped[9] = 0x66;
    expect(Udp.parse(flipped, LINUX_IP, STACK_IP)).toBe("bad-checksum");
    const long = b.slice();
    long[5] = 14;
    expect(Udp.parse(long, LINUX_IP, STACK_IP)).toBe("bad-length");
    const short = b.slice();
    short[5] = 7;
    expect(Udp.parse(short, LINUX_IP, STACK_IP)).toBe("bad-length");
    expect(Udp.parse(b.subarray(0, 7), LINUX_IP, STACK_IP)).toBe("truncated");
    const none = flipped.slice();
    none[6] = 0;
    none[7] = 0;
    expect(Udp.parse(none, LINUX_IP, STACK_IP)).toEqual({ srcPort: 40000, dstPort: 7, payloadLen: 5 });
  });
  it("round-trips any datagram", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 0xffff }), (payload, port) => {
        const b = new Uint8Array(8 + payload.length);
        b.set(payload, 8);
        Udp.emit({ srcPort: port, dstPort: port, payloadLen: payload.length }, b, LINUX_IP, STACK_IP);
        expect(Udp.parse(b, LINUX_IP, STACK_IP)).toEqual({
          srcPort: port,
          dstPort: port,
          payloadLen: payload.length,
        });
        expect(IP_PROTO_UDP).toBe(17);
      }),
    );
  });
});

describe("ICMP", () => {
  it("parses the echo request and builds the matching reply", () => {
    const repr = Icmp.parse(bytes(ICMP_ECHO));
    if (isDrop(repr) || repr.kind !== "echo-request") throw new Error("expected an echo request");
    expect(repr.ident).toBe(0x1234);
    expect(repr.seq).toBe(1);
    expect(new TextDecoder().decode(repr.data)).toBe("abcdefgh");
    const reply = new Uint8Array(Icmp.bufferLen(repr));
    Icmp.emit({ ...repr, kind: "echo-reply" }, reply);
    // Only type and checksum change: 0x5435 + 0x0800 = 0x5c35.
    expect(toHex(reply)).toBe("00 00 5c 35 12 34 00 01 61 62 63 64 65 66 67 68");
    const back = Icmp.parse(reply);
    expect(isDrop(back) ? back : back.kind).toBe("echo-reply");
  });
  it("round-trips the request through emit", () => {
    const b = bytes(ICMP_ECHO);
    const repr = Icmp.parse(b);
    if (isDrop(repr)) throw new Error(repr);
    const out = new Uint8Array(b.length);
    Icmp.emit(repr, out);
    expect(toHex(out)).toBe(ICMP_ECHO);
  });
  it("drops bad checksums and truncation", () => {
    const b = bytes(ICMP_ECHO);
    b[15] = 0;
    expect(Icmp.parse(b)).toBe("bad-checksum");
    expect(Icmp.parse(b.subarray(0, 7))).toBe("truncated");
  });
});
