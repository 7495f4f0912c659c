/**
 * A UDP socket for code inside a domain, shaped after Node's `dgram.Socket` but promise-based: `bind`,
 * `send` and `close` return promises. A datagram goes to a pending `receive()` (or `for await` loop) first,
 * else to `"message"` listeners (Node's signature), else into a bounded queue for a later `receive()`.
 */

import { EventEmitter } from "node:events";
import { NetError } from "../errors.js";
import type { IcmpErrorKind } from "../iface/l4.js";
import { formatIpv4, parseIpv4 } from "../wire/address.js";
import type { NetStack } from "./stack.js";
import type { UdpEndpoint, UdpInput } from "./udp.js";

/** Node's `rinfo`. */
export interface RemoteInfo {
  readonly address: string;
  readonly family: "IPv4";
  readonly port: number;
  readonly size: number;
}

/** One received datagram. */
export interface UdpMessage {
  readonly data: Buffer;
  readonly rinfo: RemoteInfo;
}

/** Options of a socket. */
export interface UdpSocketOptions {
  /** Datagrams held for `receive()` when nobody listens (default 1024; more are dropped and counted). */
  readonly receiveQueue?: number;
  /** Datagrams queued for sending before `send` rejects with NO_BUFFER (default 1024). */
  readonly sendQueue?: number;
}

/** Events of a socket (as dgram: message, error, close, listening). */
export interface UdpSocketEvents {
  message: [data: Buffer, rinfo: RemoteInfo];
  error: [error: NetError];
  close: [];
  listening: [];
}

interface Waiter {
  resolve(m: UdpMessage | undefined): void;
}

/** A UDP socket on a NetStack. */
export class UdpSocket extends EventEmitter<UdpSocketEvents> {
  /** Datagrams dropped because the receive queue was full. */
  receiveDrops = 0;
  private ep: UdpEndpoint | undefined;
  private closed = false;
  private readonly inbox: UdpMessage[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly receiveLimit: number;
  private readonly sendLimit: number;
  // One-entry caches: a socket mostly talks to one peer, and text<->number costs a regex or a string
  // build per datagram (measured ~6% of a send/receive round).
  private lastDstText = "";
  private lastDst = 0;
  private lastSrc = -1;
  private lastSrcText = "";

  constructor(
    private readonly stack: NetStack,
    options: UdpSocketOptions,
  ) {
    super();
    this.receiveLimit = options.receiveQueue ?? 1024;
    this.sendLimit = options.sendQueue ?? 1024;
  }

  /** Bind a local port (0 or omitted: an ephemeral one). Resolves with the bound address. */
  async bind(port = 0): Promise<{ address: string; port: number }> {
    if (this.closed) throw new NetError("CLOSED", "socket is closed");
    if (this.ep !== undefined) throw new NetError("BAD_OPTION", `socket is already bound to ${this.ep.port}`);
    this.ep = this.stack.udp.bind(
      port,
      {
        onDatagram: (d) => this.deliver(d),
        onIcmpError: (kind, dst, dstPort) => this.icmpError(kind, dst, dstPort),
      },
      this.sendLimit,
    );
    this.emit("listening");
    return this.address();
  }

  /** The bound address (throws if not bound). */
  address(): { address: string; port: number } {
    if (this.ep === undefined) throw new NetError("BAD_OPTION", "socket is not bound");
    return { address: formatIpv4(this.stack.iface.ip), port: this.ep.port };
  }

  /**
   * Send one datagram. Resolves once the interface took it (sent, or queued behind ARP resolution);
   * rejects with UNREACHABLE, MSG_SIZE or NO_BUFFER (send queue full).
   */
  async send(msg: Uint8Array | string, port: number, address: string): Promise<void> {
    if (this.closed) throw new NetError("CLOSED", "socket is closed");
    if (!Number.isInteger(port) || port < 1 || port > 0xffff) {
      throw new NetError("BAD_OPTION", `port must be an integer in 1..65535, got ${port}`);
    }
    if (address !== this.lastDstText) {
      this.lastDst = parseIpv4(address);
      this.lastDstText = address;
    }
    const dst = this.lastDst;
    if (this.ep === undefined) await this.bind(0);
    const data = typeof msg === "string" ? new TextEncoder().encode(msg) : msg;
    const ep = this.ep as UdpEndpoint;
    return new Promise<void>((resolve, reject) => {
      const ok = ep.send(data, dst, port, (r) => {
        if (r === "sent" || r === "queued") resolve();
        else if (r === "too-big")
          reject(new NetError("MSG_SIZE", `datagram of ${data.length} bytes is too big`));
        else reject(new NetError("UNREACHABLE", `no route or no neighbour for ${address}`));
      });
      if (!ok) {
        reject(new NetError("NO_BUFFER", `send queue full (${this.sendLimit} datagrams)`));
        return;
      }
      this.stack.schedule();
    });
  }

  /** The next datagram; resolves undefined when the socket closes first. */
  receive(): Promise<UdpMessage | undefined> {
    const m = this.inbox.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push({ resolve }));
  }

  /** Datagrams until the socket closes. */
  async *[Symbol.asyncIterator](): AsyncGenerator<UdpMessage, void, undefined> {
    for (;;) {
      const m = await this.receive();
      if (m === undefined) return;
      yield m;
    }
  }

  /** Unbind and end iterators. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ep?.close();
    for (const w of this.waiters.splice(0)) w.resolve(undefined);
    this.emit("close");
  }

  private deliver(d: UdpInput): void {
    const data = Buffer.from(d.data.buffer, d.data.byteOffset, d.data.length);
    if (d.src !== this.lastSrc) {
      this.lastSrc = d.src;
      this.lastSrcText = formatIpv4(d.src);
    }
    const rinfo: RemoteInfo = {
      address: this.lastSrcText,
      family: "IPv4",
      port: d.srcPort,
      size: data.length,
    };
    const w = this.waiters.shift();
    if (w !== undefined) {
      w.resolve({ data, rinfo });
      return;
    }
    if (this.listenerCount("message") > 0) {
      this.emit("message", data, rinfo);
      return;
    }
    if (this.inbox.length >= this.receiveLimit) {
      this.receiveDrops++;
      return;
    }
    this.inbox.push({ data, rinfo });
  }

  private icmpError(kind: IcmpErrorKind, dst: number, dstPort: number): void {
    // As a connected dgram socket on Linux reports ECONNREFUSED: surfaced as an event, never thrown.
    if (this.listenerCount("error") === 0) return;
    const code = kind === "port-unreachable" ? "REFUSED" : "UNREACHABLE";
    this.emit("error", new NetError(code, `ICMP ${kind} from ${formatIpv4(dst)}:${dstPort}`));
  }
}
