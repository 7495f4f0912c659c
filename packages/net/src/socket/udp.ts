/**
 * UDP as a transport of the interface, and the I/O-free endpoint state sockets are built on. As in
 * smoltcp, an endpoint only queues: `input` puts received datagrams into it (copying the payload out of
 * the frame, the one copy on receive) and `dispatch` drains its send queue into frames (the user's bytes
 * copied once, straight into the outgoing frame).
 */

import { NetError } from "../errors.js";
import type { EmitResult, IcmpErrorKind, IpInfo, L4Handler, L4InputResult, L4Tx } from "../iface/l4.js";
import { frameSlab } from "../phy/slab.js";
import { readU16 } from "../wire/address.js";
import { isDrop } from "../wire/drop.js";
import { IP_PROTO_UDP } from "../wire/ipv4.js";
import { UDP_HEADER_LEN, Udp } from "../wire/udp.js";

/** First and last ephemeral port (IANA, RFC 6335). */
const EPHEMERAL_FIRST = 49152;
const EPHEMERAL_LAST = 65535;
/** After "no-buffer" from the interface, retry this much later instead of spinning. */
const RETRY_MS = 1;

/** One received datagram. */
export interface UdpInput {
  readonly data: Uint8Array;
  readonly src: number;
  readonly srcPort: number;
  readonly dst: number;
}

/** What an endpoint's owner is told. */
export interface UdpEndpointEvents {
  onDatagram(d: UdpInput): void;
  onIcmpError?(kind: IcmpErrorKind, dst: number, dstPort: number): void;
}

interface Outgoing {
  readonly data: Uint8Array;
  readonly dst: number;
  readonly port: number;
  readonly done: ((r: EmitResult) => void) | undefined;
}

/** Counters of the UDP layer. */
export interface UdpStats {
  rxDatagrams: number;
  txDatagrams: number;
  /** Datagrams for a port nobody bound (answered with ICMP port unreachable). */
  rxNoSocket: number;
  /** Datagrams not sent: unreachable or too big. */
  txErrors: number;
}

/** One bound UDP port: its send queue and where received datagrams go. */
export class UdpEndpoint {
  private readonly queue: Outgoing[] = [];
  private head = 0;
  retryAt = 0;
  closed = false;

  constructor(
    readonly layer: UdpLayer,
    readonly port: number,
    readonly events: UdpEndpointEvents,
    readonly queueLimit: number,
  ) {}

  /** Datagrams waiting to be sent. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Queue a datagram; false when the queue is full. `done` hears how the interface took it. */
  send(data: Uint8Array, dst: number, port: number, done?: (r: EmitResult) => void): boolean {
    if (this.closed || this.queued >= this.queueLimit) return false;
    this.queue.push({ data, dst, port, done });
    this.layer.markPending(this);
    return true;
  }

  /** Emit queued datagrams until done or the interface pushes back. True when the queue emptied. */
  flush(now: number, tx: L4Tx): boolean {
    while (this.head < this.queue.length) {
      const o = this.queue[this.head] as Outgoing;
      const n = o.data.length;
      const r = tx.emit({ src: 0, dst: o.dst, protocol: IP_PROTO_UDP }, UDP_HEADER_LEN + n, (buf, ip) => {
        buf.set(o.data, UDP_HEADER_LEN);
        Udp.emit({ srcPort: this.port, dstPort: o.port, payloadLen: n }, buf, ip.src, ip.dst);
      });
      if (r === "no-buffer") {
        this.retryAt = now + RETRY_MS;
        return false;
      }
      this.head++;
      if (r === "sent" || r === "queued") this.layer.stats.txDatagrams++;
      else this.layer.stats.txErrors++;
      o.done?.(r);
    }
    this.queue.length = 0;
    this.head = 0;
    return true;
  }

  /** Unbind; queued datagrams are dropped (their `done` hears "unreachable"). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let i = this.head; i < this.queue.length; i++) this.queue[i]?.done?.("unreachable");
    this.queue.length = 0;
    this.head = 0;
    this.layer.unbind(this);
  }
}

/** The UDP transport: demultiplexes by destination port. */
export class UdpLayer implements L4Handler {
  readonly protocol = IP_PROTO_UDP;
  readonly stats: UdpStats = { rxDatagrams: 0, txDatagrams: 0, rxNoSocket: 0, txErrors: 0 };
  private readonly ports = new Map<number, UdpEndpoint>();
  private readonly pending = new Set<UdpEndpoint>();
  private nextEphemeral = EPHEMERAL_FIRST;

  /** Bind `port` (0 picks a free ephemeral port). Throws NetError ADDR_IN_USE / BAD_OPTION. */
  bind(port: number, events: UdpEndpointEvents, queueLimit = 1024): UdpEndpoint {
    if (!Number.isInteger(port) || port < 0 || port > 0xffff) {
      throw new NetError("BAD_OPTION", `port must be an integer in 0..65535, got ${port}`);
    }
    const p = port === 0 ? this.ephemeral() : port;
    if (this.ports.has(p)) throw new NetError("ADDR_IN_USE", `UDP port ${p} is already bound`);
    const ep = new UdpEndpoint(this, p, events, queueLimit);
    this.ports.set(p, ep);
    return ep;
  }

  /** Called by an endpoint that has something to send. */
  markPending(ep: UdpEndpoint): void {
    this.pending.add(ep);
  }

  /** Called by a closing endpoint. */
  unbind(ep: UdpEndpoint): void {
    if (this.ports.get(ep.port) === ep) this.ports.delete(ep.port);
    this.pending.delete(ep);
  }

  input(_now: number, ip: IpInfo, payload: Uint8Array, tx: L4Tx): L4InputResult {
    const r = Udp.parse(payload, ip.src, ip.dst);
    if (isDrop(r)) return r;
    const ep = this.ports.get(r.dstPort);
    if (ep === undefined) {
      this.stats.rxNoSocket++;
      return "port-unreachable";
    }
    this.stats.rxDatagrams++;
    // Zero-copy when the device never reuses frames; else the one copy on receive, out of the frame.
    const view = payload.subarray(UDP_HEADER_LEN, UDP_HEADER_LEN + r.payloadLen);
    const data = tx.payloadsRetained === true ? view : frameSlab.copy(view);
    ep.events.onDatagram({ data, src: ip.src, srcPort: r.srcPort, dst: ip.dst });
    return "accepted";
  }

  dispatch(now: number, tx: L4Tx): void {
    if (this.pending.size === 0) return;
    for (const ep of this.pending) {
      if (ep.retryAt > now) continue;
      if (ep.flush(now, tx)) this.pending.delete(ep);
    }
  }

  pollAt(now: number): number {
    let t = Number.POSITIVE_INFINITY;
    for (const ep of this.pending) t = Math.min(t, Math.max(now, ep.retryAt));
    return t;
  }

  icmpError(_now: number, kind: IcmpErrorKind, ip: IpInfo, quoted: Uint8Array): void {
    if (quoted.length < 4) return;
    const ep = this.ports.get(readU16(quoted, 0));
    ep?.events.onIcmpError?.(kind, ip.dst, readU16(quoted, 2));
  }

  private ephemeral(): number {
    for (let i = 0; i <= EPHEMERAL_LAST - EPHEMERAL_FIRST; i++) {
      const p = this.nextEphemeral;
      this.nextEphemeral = p === EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
      if (!this.ports.has(p)) return p;
    }
    throw new NetError("ADDR_IN_USE", "no free ephemeral UDP port");
  }
}
