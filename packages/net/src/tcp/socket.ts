/**
 * One TCP connection as a pure state machine in smoltcp's style: `process(now, ip, segment)` takes a
 * received segment (and may answer with a segment to send at once), `dispatch(now, emit)` sends whatever
 * is due, `pollAt(now)` says when that is. No I/O and no clocks: time is an argument, so every transition
 * is a testable step. The RFC 9293 input rules live in `input.ts`, output and timers in `output.ts`.
 */

import type { NetErrorCode } from "../errors.js";
import { Assembler } from "./assembler.js";
import { type TcpConfig, tcpConfig } from "./config.js";
import { NewReno } from "./congestion.js";
import { processSegment } from "./input.js";
import { dispatchSocket, socketPollAt } from "./output.js";
import { RingBuffer } from "./ring-buffer.js";
import { RttEstimator } from "./rtt.js";
import { ACK, RST, Tcp, type TcpRepr } from "./segment.js";
import { seqAdd } from "./seq.js";

/** RFC 9293 §3.3.2 states. */
export type TcpState =
  | "CLOSED"
  | "LISTEN"
  | "SYN-SENT"
  | "SYN-RECEIVED"
  | "ESTABLISHED"
  | "FIN-WAIT-1"
  | "FIN-WAIT-2"
  | "CLOSE-WAIT"
  | "CLOSING"
  | "LAST-ACK"
  | "TIME-WAIT";

/** An address and port (address as a uint32; 0 = not yet known). */
export interface TcpEndpoint {
  addr: number;
  port: number;
}

/** Callbacks a socket makes during `process`/`dispatch` (all optional; the socket API sets them). */
export interface TcpSocketHooks {
  /** The handshake completed. */
  onEstablished?(): void;
  /** Data (or the peer's FIN) can be read. */
  onReadable?(): void;
  /** Send-buffer space was freed by an ACK. */
  onWritable?(): void;
  /** Any state change (after it happened). */
  onState?(state: TcpState): void;
  /** The socket reached CLOSED; `error` says why when it was not an orderly close. */
  onClosed?(error: NetErrorCode | undefined): void;
}

/** Sends one segment; true when it left (sent or queued behind ARP). */
export type TcpEmit = (repr: TcpRepr) => boolean;

/** The IPv4 addresses of a received segment. */
export interface TcpIp {
  readonly src: number;
  readonly dst: number;
}

/** Counters of one connection. */
export interface TcpSocketStats {
  segmentsIn: number;
  segmentsOut: number;
  retransmits: number;
  fastRetransmits: number;
  timeouts: number;
  dupAcksIn: number;
  outOfOrder: number;
  challengeAcks: number;
  emitFailures: number;
}

/** Synchronized states that still exchange data or FINs. */
export function isSynchronized(s: TcpState): boolean {
  return s !== "CLOSED" && s !== "LISTEN" && s !== "SYN-SENT" && s !== "SYN-RECEIVED";
}

/** A TCP connection (or a listening endpoint that becomes one on the first SYN). */
export class TcpSocket {
  state: TcpState = "CLOSED";
  readonly config: TcpConfig;
  readonly local: TcpEndpoint = { addr: 0, port: 0 };
  readonly remote: TcpEndpoint = { addr: 0, port: 0 };
  hooks: TcpSocketHooks = {};
  /** Why the socket closed, when it was not an orderly close. */
  error: NetErrorCode | undefined;
  readonly stats: TcpSocketStats = {
    segmentsIn: 0,
    segmentsOut: 0,
    retransmits: 0,
    fastRetransmits: 0,
    timeouts: 0,
    dupAcksIn: 0,
    outOfOrder: 0,
    challengeAcks: 0,
    emitFailures: 0,
  };
  /** The largest segment payload the link allows us (MTU - 40 unless the config says less). */
  linkMss: number;
  /** Supplies the initial sequence number when a SYN is accepted (the layer sets an RFC 6528 one). */
  isn: () => number = () => (Math.random() * 0x1_0000_0000) >>> 0;

  // --- send side (RFC 9293 §3.3.1 names) ---
  iss = 0;
  sndUna = 0;
  sndNxt = 0;
  /** Highest sequence number sent (SND.NXT can be rewound below it by a timeout). */
  sndMax = 0;
  /** The peer's window in bytes (scaled). */
  sndWnd = 0;
  sndWl1 = 0;
  sndWl2 = 0;
  /** Largest window the peer ever offered (RFC 5961 ACK check, sender SWS avoidance). */
  maxSndWnd = 0;
  /** The shift applied to the peer's window field, and to ours. */
  sndShift = 0;
  rcvShift = 0;
  /** The peer's SYN carried a window-scale option. */
  peerOfferedScale = false;
  /** Payload per segment agreed in the handshake. */
  sendMss = 536;
  readonly tx: RingBuffer;
  /** Sequence number of `tx`'s first byte. */
  txStart = 0;
  /** The user closed the sending side: a FIN follows the last byte of `tx`. */
  finQueued = false;
  finAcked = false;

  // --- receive side ---
  irs = 0;
  rcvNxt = 0;
  readonly rx: RingBuffer;
  readonly assembler: Assembler;
  /** The peer's FIN arrived (in order); reads end once `rx` is drained. */
  peerFin = false;
  /** A FIN that arrived before the data ahead of it: accepted when RCV.NXT reaches it. */
  pendingFinSeq: number | undefined;
  /** The window (bytes) in the last segment we sent. */
  lastAdvWnd = 0;
  ackPending = false;
  /** Opened by `listen` (a SYN-RECEIVED that gets an RST goes away quietly). */
  passive = false;

  // --- timers (absolute ms; Infinity = not running) ---
  readonly rtt: RttEstimator;
  cc: NewReno;
  rtoAt = Number.POSITIVE_INFINITY;
  retries = 0;
  /** Fast retransmit or a NewReno partial ACK asked for the segment at SND.UNA. */
  retransmitNow = false;
  persistAt = Number.POSITIVE_INFINITY;
  persistBackoffs = 0;
  timeWaitAt = Number.POSITIVE_INFINITY;
  lastRecvAt = 0;
  keepAliveProbes = 0;
  /** Send an RST at the next dispatch (abort), with these numbers. */
  rstPending: { seq: number; ack: number } | undefined;
  /** Something changed that dispatch should look at (data queued, ACK arrived, window opened). */
  dirty = false;
  /** A failed emit: try again at this time. */
  retryAt = Number.POSITIVE_INFINITY;

  constructor(config: Partial<TcpConfig> = {}, linkMss = 1460) {
    this.config = tcpConfig(config);
    this.linkMss = Math.min(this.config.mss ?? linkMss, linkMss);
    this.tx = new RingBuffer(this.config.txBufferSize);
    this.rx = new RingBuffer(this.config.rxBufferSize);
    this.assembler = new Assembler(this.config.maxOutOfOrderRanges);
    this.rtt = new RttEstimator(this.config);
    this.cc = new NewReno(this.sendMss, 0);
  }

  // --- the user's side ---

  /** Passive open (RFC 9293 §3.10.1): wait in LISTEN for a SYN to `port`. */
  listen(port: number, addr = 0): void {
    this.local.port = port;
    this.local.addr = addr;
    this.passive = true;
    this.setState("LISTEN");
  }

  /** Active open: SYN-SENT; the SYN goes at the next dispatch. */
  connect(now: number, remote: TcpEndpoint, localPort: number, iss: number, localAddr = 0): void {
    this.local.port = localPort;
    this.local.addr = localAddr;
    this.remote.addr = remote.addr;
    this.remote.port = remote.port;
    this.initSend(iss);
    this.lastRecvAt = now;
    this.setState("SYN-SENT");
    this.dirty = true;
  }

  /** Queue bytes to send; returns how many fit (0 when the buffer is full or sending is closed). */
  send(data: Uint8Array): number {
    if (this.finQueued || !this.canSend) return 0;
    const n = this.tx.enqueue(data);
    if (n > 0) this.dirty = true;
    return n;
  }

  /** True in the states where `send` may queue data. */
  get canSend(): boolean {
    const s = this.state;
    return s === "SYN-SENT" || s === "SYN-RECEIVED" || s === "ESTABLISHED" || s === "CLOSE-WAIT";
  }

  /** Free space in the send buffer. */
  get sendFree(): number {
    return this.finQueued ? 0 : this.tx.free;
  }

  /** Bytes queued and not yet acknowledged. */
  get sendQueued(): number {
    return this.tx.length;
  }

  /** Bytes ready to read. */
  get recvQueued(): number {
    return this.rx.length;
  }

  /** All data was read and the peer sent FIN (or the connection is gone). */
  get atEof(): boolean {
    return this.rx.length === 0 && (this.peerFin || this.state === "CLOSED");
  }

  /** Move received bytes into `dst`; returns the count. May schedule a window update. */
  recv(dst: Uint8Array): number {
    const n = this.rx.dequeueInto(dst);
    if (n > 0 && isSynchronized(this.state) && !this.peerFin) {
      // Receiver SWS avoidance (RFC 9293 §3.8.6.2.2): announce only a worthwhile opening.
      const grown = this.rx.free - this.lastAdvWnd;
      if (grown >= Math.min(this.rx.capacity / 2, this.linkMss)) {
        this.ackPending = true;
        this.dirty = true;
      }
    }
    return n;
  }

  /** Orderly close of the sending side (RFC 9293 §3.10.4). */
  close(): void {
    switch (this.state) {
      case "LISTEN":
      case "SYN-SENT":
        this.finish(undefined);
        return;
      case "SYN-RECEIVED":
        // RFC 9293 §3.10.4: the FIN waits until the handshake completes (setState moves on then).
        this.finQueued = true;
        this.dirty = true;
        return;
      case "ESTABLISHED":
        this.finQueued = true;
        this.setState("FIN-WAIT-1");
        this.dirty = true;
        return;
      case "CLOSE-WAIT":
        this.finQueued = true;
        this.setState("LAST-ACK");
        this.dirty = true;
        return;
      default:
        return; // already closing
    }
  }

  /** Abort (RFC 9293 §3.10.5): an RST to the peer when synchronized, then CLOSED at once. */
  abort(): void {
    if (this.state === "CLOSED") return;
    if (isSynchronized(this.state) || this.state === "SYN-RECEIVED") {
      this.rstPending = { seq: this.sndNxt, ack: this.rcvNxt };
    }
    this.finish("CLOSED");
  }

  // --- the network's side ---

  /** Handle one received segment; returns a segment to send immediately (ACK, RST), if any. */
  process(now: number, ip: TcpIp, seg: TcpRepr): TcpRepr | undefined {
    return processSegment(this, now, ip, seg);
  }

  /** Send what is due at `now` (data, SYN/FIN, retransmissions, ACKs, probes). */
  dispatch(now: number, emit: TcpEmit): void {
    dispatchSocket(this, now, emit);
  }

  /** When `dispatch` next has work (`now` if at once, Infinity if never without new input). */
  pollAt(now: number): number {
    return socketPollAt(this, now);
  }

  // --- helpers shared by input.ts and output.ts ---

  /** Start the send side at `iss` (SYN not yet sent). */
  initSend(iss: number): void {
    this.iss = iss;
    this.sndUna = iss;
    this.sndNxt = iss;
    this.sndMax = iss;
    this.txStart = seqAdd(iss, 1);
    this.cc = new NewReno(this.sendMss, iss);
  }

  /** Sequence number of our FIN (valid once `finQueued`). */
  get finSeq(): number {
    return seqAdd(this.txStart, this.tx.length);
  }

  /** The window field for a segment (SYN segments are never scaled, RFC 7323 §2.2). */
  windowField(syn: boolean): number {
    const free = this.rx.free;
    return Math.min(0xffff, syn ? free : free >>> this.rcvShift);
  }

  /** A bare ACK with the current numbers (also the challenge ACK of RFC 5961). */
  ackRepr(): TcpRepr {
    return this.stamp({
      srcPort: this.local.port,
      dstPort: this.remote.port,
      seq: this.sndNxt,
      ack: this.rcvNxt,
      flags: ACK,
      window: this.windowField(false),
      payload: Tcp.EMPTY,
    });
  }

  /** Note what a segment we are about to send advertises (ACK and window are now up to date). */
  stamp(repr: TcpRepr): TcpRepr {
    if ((repr.flags & ACK) !== 0) {
      this.ackPending = false;
      this.lastAdvWnd = (repr.flags & RST) !== 0 ? this.lastAdvWnd : repr.window << this.rcvShift;
    }
    return repr;
  }

  setState(next: TcpState): void {
    const prev = this.state;
    this.state = next;
    if (next === "ESTABLISHED" && (prev === "SYN-SENT" || prev === "SYN-RECEIVED")) {
      if (this.finQueued) this.state = "FIN-WAIT-1"; // closed during the handshake
      this.hooks.onEstablished?.();
    }
    this.hooks.onState?.(this.state);
  }

  /** Enter TIME-WAIT: only the 2·MSL timer (and ACKs of retransmitted FINs) remain. */
  enterTimeWait(now: number): void {
    this.setState("TIME-WAIT");
    this.timeWaitAt = now + 2 * this.config.msl;
    this.rtoAt = Number.POSITIVE_INFINITY;
    this.persistAt = Number.POSITIVE_INFINITY;
    this.tx.release(); // everything we sent is acknowledged; unread received bytes keep `rx`
    this.hooks.onReadable?.();
  }

  /** Reach CLOSED; `error` is undefined for an orderly close. */
  finish(error: NetErrorCode | undefined): void {
    if (this.state === "CLOSED") return;
    this.state = "CLOSED";
    this.error = error;
    this.rtoAt = Number.POSITIVE_INFINITY;
    this.persistAt = Number.POSITIVE_INFINITY;
    this.timeWaitAt = Number.POSITIVE_INFINITY;
    this.retransmitNow = false;
    this.ackPending = false;
    this.assembler.clear();
    this.hooks.onReadable?.();
    this.hooks.onWritable?.();
    this.hooks.onState?.("CLOSED");
    this.hooks.onClosed?.(error);
  }
}
