/** Test helpers: interfaces over a device pair with a simulated clock, and raw-frame builders. */
import { Interface, type InterfaceConfig } from "../src/iface/interface.js";
import { type PairDevice, pairDevices } from "../src/phy/pair.js";
import { UdpLayer } from "../src/socket/udp.js";
import { writeMac } from "../src/wire/address.js";
import { ETH_HEADER_LEN, ETHERTYPE_IPV4, Ethernet } from "../src/wire/ethernet.js";
import { IP_HEADER_LEN, Ipv4, type Ipv4EmitRepr } from "../src/wire/ipv4.js";
import { Udp } from "../src/wire/udp.js";
import { LINUX_IP, LINUX_MAC, STACK_IP, STACK_MAC } from "./fixtures.js";

/** One interface (the "stack", 10.77.0.2) whose peer end is a raw device the test drives by hand. */
export function rawPeer(config: Partial<InterfaceConfig> = {}) {
  const [dev, raw] = pairDevices();
  const iface = new Interface(dev, { mac: STACK_MAC, ip: STACK_IP, gratuitousArp: false, ...config });
  const udp = new UdpLayer();
  iface.addProtocol(udp);
  return {
    iface,
    udp,
    raw,
    /** Deliver frames to the stack and poll it once at `now`. */
    inject(now: number, ...frames: Uint8Array[]) {
      for (const f of frames) dev.deliver(f);
      iface.poll(now);
    },
    /** Everything the stack transmitted since the last call. */
    sent(): Uint8Array[] {
      return drain(raw);
    },
  };
}

/** Two interfaces ("linux" 10.77.0.1 and "stack" 10.77.0.2) over a pair, each with UDP. */
export function twoHosts(configA: Partial<InterfaceConfig> = {}, configB: Partial<InterfaceConfig> = {}) {
  const [da, db] = pairDevices();
  const a = new Interface(da, { mac: LINUX_MAC, ip: LINUX_IP, gratuitousArp: false, ...configA });
  const b = new Interface(db, { mac: STACK_MAC, ip: STACK_IP, gratuitousArp: false, ...configB });
  const udpA = new UdpLayer();
  const udpB = new UdpLayer();
  a.addProtocol(udpA);
  b.addProtocol(udpB);
  return {
    a,
    b,
    udpA,
    udpB,
    da,
    db,
    /** Poll both until neither moves a frame (bounded). */
    pump(now: number) {
      for (let i = 0; i < 100; i++) {
        const x = a.poll(now);
        const y = b.poll(now);
        if (!x && !y) return;
      }
      throw new Error("pump did not settle");
    },
  };
}

/** Take every frame waiting on a device. */
export function drain(dev: PairDevice): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (;;) {
    const f = dev.receive(0);
    if (f === undefined) return out;
    out.push(f);
  }
}

/** An Ethernet+IPv4 frame linux -> stack with the given IPv4 fields and payload. */
export function ipFrame(ip: Partial<Ipv4EmitRepr> & { protocol: number }, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(ETH_HEADER_LEN + IP_HEADER_LEN + payload.length);
  Ethernet.emit({ dst: STACK_MAC, src: LINUX_MAC, ethertype: ETHERTYPE_IPV4 }, f);
  Ipv4.emit(
    { src: LINUX_IP, dst: STACK_IP, ttl: 64, ident: 7, payloadLen: payload.length, ...ip },
    f.subarray(ETH_HEADER_LEN),
  );
  f.set(payload, ETH_HEADER_LEN + IP_HEADER_LEN);
  return f;
}

/** A UDP datagram (header + payload) linux:srcPort -> stack:dstPort with a valid checksum. */
export function udpDatagram(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const d = new Uint8Array(8 + payload.length);
  d.set(payload, 8);
  Udp.emit({ srcPort, dstPort, payloadLen: payload.length }, d, LINUX_IP, STACK_IP);
  return d;
}

/** Rewrite the destination MAC of a frame. */
export function withDstMac(frame: Uint8Array, mac: number): Uint8Array {
  const f = frame.slice();
  writeMac(f, 0, mac);
  return f;
}
