/**
 * One Ethernet interface with one IPv4 address: the part of the stack between a device and the transports.
 * `poll(now)` drains the device (Ethernet → ARP / IPv4 → reassembly → ICMP or a transport), runs the ARP
 * and reassembly timers, and lets each transport dispatch. Nothing here keeps a timer or does I/O of its
 * own; the caller passes the time in.
 *
 * Buffers: a received frame is parsed in place; each layer hands the next a `subarray` view of the same
 * bytes. On transmit the device hands out one zeroed frame, the interface writes the Ethernet and IPv4
 * headers into it and the transport writes its bytes into the view after them.
 */

import { NetError } from "../errors.js";
import type { Device } from "../phy/device.js";
import { IPV4_BROADCAST, MAC_BROADCAST, parseIpv4, parseMac, prefixMask, writeMac } from "../wire/address.js";
import { ARP_REPLY, ARP_REQUEST, Arp, type ArpRepr } from "../wire/arp.js";
import { type DropReason, isDrop } from "../wire/drop.js";
import { ETH_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, Ethernet, EthernetFrame } from "../wire/ethernet.js";
import { UNREACH_PORT, UNREACH_PROTOCOL } from "../wire/icmp.js";
import { IP_HEADER_LEN, IP_MAX_DATAGRAM, IP_PROTO_ICMP, Ipv4, type Ipv4Repr } from "../wire/ipv4.js";
import { IcmpRateLimit, receiveIcmp, sendUnreachable } from "./icmp-handler.js";
import type { EmitResult, IpOut, IpResolved, L4Handler, L4Tx } from "./l4.js";
import { NeighborCache, type NeighborOptions } from "./neighbor.js";
import { Reassembler, type ReassemblyOptions } from "./reassembly.js";
import { type InterfaceStats, newInterfaceStats } from "./stats.js";

/** Configuration of an interface. Addresses as text or numbers. */
export interface InterfaceConfig {
  readonly mac: number | string;
  readonly ip: number | string;
  /** Prefix length of the attached network (default 24). */
  readonly prefix?: number;
  /** Next hop for destinations off the attached network; without one they are unreachable. */
  readonly gateway?: number | string;
  /** TTL of datagrams this host sends (default 64). */
  readonly ttl?: number;
  /** Announce the address with a gratuitous ARP on the first poll (default true). */
  readonly gratuitousArp?: boolean;
  /** Frames taken from the device per poll (default 256), so one busy link cannot starve timers. */
  readonly rxBudget?: number;
  readonly neighbor?: NeighborOptions;
  readonly reassembly?: ReassemblyOptions;
  /** ICMP errors sent per second on average (default 100) and in a burst (default 50). */
  readonly icmpErrorRate?: { readonly perSecond: number; readonly burst: number };
}

/** Where a datagram goes next: a known MAC (broadcast) or a neighbour to resolve. */
interface Route {
  readonly hop: number;
  readonly mac: number | undefined;
}

const ETH_IP = ETH_HEADER_LEN + IP_HEADER_LEN;
const MULTICAST_FIRST = 0xe0000000;

function toIp(v: number | string): number {
  return typeof v === "string" ? parseIpv4(v) : v >>> 0;
}

/** An Ethernet/IPv4 interface over a device. */
export class Interface {
  readonly mac: number;
  readonly ip: number;
  readonly prefix: number;
  readonly mask: number;
  readonly gateway: number | undefined;
  readonly ttl: number;
  readonly stats: InterfaceStats = newInterfaceStats();
  readonly neighbors: NeighborCache;
  readonly reassembler: Reassembler;
  readonly icmpLimit: IcmpRateLimit;
  /** The transmit handle given to transports. */
  readonly tx: L4Tx;
  /** The time of the poll in progress (or the last one). */
  now = 0;
  private readonly handlers = new Map<number, L4Handler>();
  private handlerList: L4Handler[] = [];
  private readonly rxBudget: number;
  private ident = 1;
  private announced: boolean;

  constructor(
    readonly device: Device,
    config: InterfaceConfig,
  ) {
    this.mac = typeof config.mac === "string" ? parseMac(config.mac) : config.mac;
    this.ip = toIp(config.ip);
    this.prefix = config.prefix ?? 24;
    if (!Number.isInteger(this.prefix) || this.prefix < 0 || this.prefix > 32) {
      throw new NetError("BAD_OPTION", `prefix must be an integer in 0..32, got ${config.prefix}`);
    }
    this.mask = prefixMask(this.prefix);
    this.gateway = config.gateway === undefined ? undefined : toIp(config.gateway);
    this.ttl = config.ttl ?? 64;
    if (!Number.isInteger(this.ttl) || this.ttl < 1 || this.ttl > 255) {
      throw new NetError("BAD_OPTION", `ttl must be an integer in 1..255, got ${config.ttl}`);
    }
    this.rxBudget = config.rxBudget ?? 256;
    this.announced = config.gratuitousArp === false;
    this.neighbors = new NeighborCache(config.neighbor);
    this.reassembler = new Reassembler(config.reassembly);
    this.icmpLimit = new IcmpRateLimit(
      config.icmpErrorRate?.perSecond ?? 100,
      config.icmpErrorRate?.burst ?? 50,
    );
    const maxPayload = device.capabilities.maxFrame - ETH_IP;
    this.tx = {
      maxPayload,
      payloadsRetained: device.capabilities.rxFramesRetained === true,
      emit: (ip, n, write) => this.emit(ip, n, write),
    };
  }

  /** The directed broadcast address of the attached network. */
  get subnetBroadcast(): number {
    return (this.ip | ~this.mask) >>> 0;
  }

  /** Register a transport for its IP protocol number (one per number). */
  addProtocol(handler: L4Handler): void {
    if (handler.protocol === IP_PROTO_ICMP || this.handlers.has(handler.protocol)) {
      throw new NetError("BAD_OPTION", `IP protocol ${handler.protocol} already has a handler`);
    }
    this.handlers.set(handler.protocol, handler);
    this.handlerList = [...this.handlers.values()];
  }

  /** Process received frames, timers and transport output. True when any frame moved or work was done. */
  poll(now: number): boolean {
    this.now = now;
    let did = false;
    if (!this.announced) {
      this.announced = true;
      this.announce();
      did = true;
    }
    for (let i = 0; i < this.rxBudget; i++) {
      const frame = this.device.receive(now);
      if (frame === undefined) break;
      this.stats.rxFrames++;
      this.receiveFrame(frame);
      did = true;
    }
    const t = this.neighbors.tick(now);
    for (const ip of t.requests) this.sendArp(ARP_REQUEST, MAC_BROADCAST, 0, ip);
    this.stats.arpRequestsSent += t.requests.length;
    this.stats.arpFailures += t.failed;
    this.stats.arpQueueDrops += t.droppedFrames;
    const expired = this.reassembler.expire(now);
    this.stats.reassemblyDrops += expired;
    this.stats.drops.ipv4.reassembly += expired;
    const txBefore = this.stats.txFrames;
    for (const h of this.handlerList) h.dispatch(now, this.tx);
    return did || t.requests.length > 0 || this.stats.txFrames !== txBefore;
  }

  /** The earliest time `poll` has timer work (ARP retries, reassembly timeouts, transports, device). */
  pollAt(now: number): number {
    if (!this.announced) return now;
    let t = Math.min(
      this.neighbors.pollAt(),
      this.reassembler.pollAt(),
      this.device.pollAt?.(now) ?? Infinity,
    );
    for (const h of this.handlerList) t = Math.min(t, h.pollAt(now));
    return t;
  }

  /** Send a gratuitous ARP request announcing our address (RFC 5227 §3). */
  announce(): void {
    this.sendArp(ARP_REQUEST, MAC_BROADCAST, 0, this.ip);
    this.stats.gratuitousArpsSent++;
  }

  /** Send one IPv4 datagram for a transport (see `L4Tx.emit`). */
  emit(ip: IpOut, n: number, write: (payload: Uint8Array, ip: IpResolved) => void): EmitResult {
    if (n > IP_MAX_DATAGRAM - IP_HEADER_LEN) return "too-big";
    const route = this.route(ip.dst);
    if (route === undefined) return "unreachable";
    const src = ip.src === 0 ? this.ip : ip.src;
    const resolved: IpResolved = { src, dst: ip.dst };
    const ttl = ip.ttl ?? this.ttl;
    const ident = this.nextIdent();
    const maxPayload = this.tx.maxPayload;
    if (n <= maxPayload) {
      return this.sendFrame(route, ETH_IP + n, ETHERTYPE_IPV4, (frame) => {
        Ipv4.emit(
          { src, dst: ip.dst, protocol: ip.protocol, ttl, ident, payloadLen: n },
          frame.subarray(ETH_HEADER_LEN),
        );
        write(frame.subarray(ETH_IP, ETH_IP + n), resolved);
      });
    }
    // Fragment: the transport writes once into a scratch datagram, then each fragment copies its slice.
    const chunk = maxPayload & ~7;
    const fragments = Math.ceil(n / chunk);
    if (route.mac === undefined && this.neighbors.lookup(route.hop, this.now) === undefined) {
      const q = this.neighbors.options.maxQueuedPerNeighbor;
      if (fragments > q) return "no-buffer";
    }
    const whole = new Uint8Array(n);
    write(whole, resolved);
    let result: EmitResult = "sent";
    for (let off = 0; off < n; off += chunk) {
      const len = Math.min(chunk, n - off);
      const more = off + len < n;
      const r = this.sendFrame(route, ETH_IP + len, ETHERTYPE_IPV4, (frame) => {
        Ipv4.emit(
          {
            src,
            dst: ip.dst,
            protocol: ip.protocol,
            ttl,
            ident,
            payloadLen: len,
            moreFragments: more,
            fragmentOffset: off,
          },
          frame.subarray(ETH_HEADER_LEN),
        );
        frame.set(whole.subarray(off, off + len), ETH_IP);
      });
      this.stats.fragmentsSent++;
      if (r !== "sent") result = r;
      if (r === "no-buffer" || r === "unreachable") break;
    }
    return result;
  }

  /** Where `dst` goes: on-link, via the gateway, broadcast, or nowhere. */
  route(dst: number): Route | undefined {
    if (dst === IPV4_BROADCAST || dst === this.subnetBroadcast) return { hop: dst, mac: MAC_BROADCAST };
    if (dst === this.ip || dst === 0 || dst >= MULTICAST_FIRST) return undefined;
    if ((dst & this.mask) === (this.ip & this.mask)) return { hop: dst, mac: undefined };
    return this.gateway === undefined ? undefined : { hop: this.gateway, mac: undefined };
  }

  private nextIdent(): number {
    const id = this.ident;
    this.ident = (this.ident + 1) & 0xffff;
    return id;
  }

  /**
   * Transmit one frame to `route`: straight to the device when the MAC is known, else written into a
   * held buffer queued on the neighbour (the first such frame starts ARP resolution).
   */
  private sendFrame(
    route: Route,
    length: number,
    ethertype: number,
    fill: (frame: Uint8Array) => void,
  ): EmitResult {
    const mac = route.mac ?? this.neighbors.lookup(route.hop, this.now);
    if (mac !== undefined) return this.transmit(length, mac, ethertype, fill);
    if (this.neighbors.recentlyFailed(route.hop, this.now)) return "unreachable";
    if (!this.neighbors.canQueue(route.hop)) return "no-buffer";
    const frame = new Uint8Array(length);
    Ethernet.emit({ dst: 0, src: this.mac, ethertype }, frame);
    fill(frame);
    const r = this.neighbors.enqueue(route.hop, frame, this.now);
    if (r === "queued-new") {
      this.sendArp(ARP_REQUEST, MAC_BROADCAST, 0, route.hop);
      this.stats.arpRequestsSent++;
      return "queued";
    }
    return r === "failed" ? "unreachable" : r;
  }

  private transmit(
    length: number,
    dstMac: number,
    ethertype: number,
    fill: (frame: Uint8Array) => void,
  ): EmitResult {
    const ok = this.device.transmit(this.now, length, (frame) => {
      Ethernet.emit({ dst: dstMac, src: this.mac, ethertype }, frame);
      fill(frame);
    });
    if (!ok) {
      this.stats.txNoBuffer++;
      return "no-buffer";
    }
    this.stats.txFrames++;
    return "sent";
  }

  private sendArp(
    operation: ArpRepr["operation"],
    dstMac: number,
    targetMac: number,
    targetIp: number,
  ): void {
    this.transmit(ETH_HEADER_LEN + Arp.bufferLen(), dstMac, ETHERTYPE_ARP, (frame) => {
      Arp.emit(
        { operation, senderMac: this.mac, senderIp: this.ip, targetMac, targetIp },
        frame.subarray(ETH_HEADER_LEN),
      );
    });
  }

  private receiveFrame(buf: Uint8Array): void {
    const frame = EthernetFrame.check(buf);
    if (isDrop(frame)) {
      this.drop("ethernet", frame);
      return;
    }
    const dst = frame.dst;
    if (dst !== this.mac && dst !== MAC_BROADCAST) {
      this.drop("ethernet", "not-for-us");
      return;
    }
    const type = frame.ethertype;
    if (type === ETHERTYPE_IPV4) {
      this.receiveIpv4(frame.payload);
      return;
    }
    if (type === ETHERTYPE_ARP) {
      this.receiveArp(frame.payload);
      return;
    }
    this.stats.unknownEthertype++;
  }

  private receiveArp(payload: Uint8Array): void {
    const arp = Arp.parse(payload);
    if (isDrop(arp)) {
      this.drop("arp", arp);
      return;
    }
    if (arp.senderMac === this.mac) return; // our own broadcast, looped back by a bridge
    // A group MAC as sender, or someone else claiming our address: never cache it.
    if (
      Math.floor(arp.senderMac / 0x100_0000_0000) & 1 ||
      (arp.senderIp === this.ip && arp.senderMac !== this.mac)
    ) {
      this.drop("arp", "bad-field");
      return;
    }
    const forUs = arp.targetIp === this.ip;
    // RFC 826's merge: update what we already know (gratuitous announcements too); learn new entries
    // only from packets addressed to us; and complete a resolution in progress whoever it came from.
    if (
      arp.senderIp !== 0 &&
      (forUs || this.neighbors.has(arp.senderIp) || this.neighbors.isResolving(arp.senderIp))
    ) {
      for (const f of this.neighbors.fill(arp.senderIp, arp.senderMac, this.now)) {
        writeMac(f, 0, arp.senderMac);
        if (this.device.transmit(this.now, f.length, (out) => out.set(f))) this.stats.txFrames++;
        else this.stats.txNoBuffer++;
      }
    }
    if (forUs && arp.operation === ARP_REQUEST) {
      this.sendArp(ARP_REPLY, arp.senderMac, arp.senderMac, arp.senderIp);
      this.stats.arpRepliesSent++;
    }
  }

  private receiveIpv4(payload: Uint8Array): void {
    const ip = Ipv4.parse(payload);
    if (isDrop(ip)) {
      this.drop("ipv4", ip);
      return;
    }
    if (ip.src >= MULTICAST_FIRST || ip.src === this.subnetBroadcast) {
      this.drop("ipv4", "bad-field");
      return;
    }
    const unicast = ip.dst === this.ip;
    if (!unicast && ip.dst !== IPV4_BROADCAST && ip.dst !== this.subnetBroadcast) {
      this.drop("ipv4", "not-for-us");
      return;
    }
    let body = payload.subarray(ip.headerLen, ip.headerLen + ip.payloadLen);
    if (ip.moreFragments || ip.fragmentOffset > 0) {
      this.stats.fragmentsReceived++;
      const r = this.reassembler.add(this.now, ip, body);
      if (r.kind === "dropped") {
        this.stats.reassemblyDrops += r.datagrams;
        this.stats.drops.ipv4.reassembly += r.datagrams;
        return;
      }
      if (r.kind === "pending") return;
      this.stats.datagramsReassembled++;
      body = r.payload;
    }
    this.deliver(ip, payload.subarray(0, ip.headerLen), body, unicast);
  }

  private deliver(ip: Ipv4Repr, header: Uint8Array, body: Uint8Array, unicast: boolean): void {
    if (ip.protocol === IP_PROTO_ICMP) {
      receiveIcmp(this, ip, body, unicast, this.handlers);
      return;
    }
    const h = this.handlers.get(ip.protocol);
    if (h === undefined) {
      this.stats.unknownProtocol++;
      if (unicast) sendUnreachable(this, UNREACH_PROTOCOL, ip, header, body);
      return;
    }
    const r = h.input(this.now, ip, body, this.tx);
    if (r === "accepted") return;
    if (r === "port-unreachable") {
      if (unicast) sendUnreachable(this, UNREACH_PORT, ip, header, body);
      return;
    }
    this.drop("l4", r === "malformed" ? "bad-field" : r);
  }

  /** Count a dropped frame at `layer`. */
  drop(layer: keyof InterfaceStats["drops"], reason: DropReason): void {
    this.stats.drops[layer][reason]++;
  }
}
