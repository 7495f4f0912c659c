/**
 * The TCP layer of an interface: an `L4Handler` that checks and parses segments, finds the connection
 * (or a listener, which spawns one per SYN), answers strays with RST, and drives every socket's
 * `dispatch` and `pollAt`. Initial sequence numbers follow RFC 6528 (a 4 µs clock plus a keyed hash of
 * the four-tuple), so a new incarnation of a connection starts beyond the old one's sequence space.
 */

import { NetError } from "../errors.js";
import type { IcmpErrorKind, IpInfo, L4Handler, L4InputResult, L4Tx } from "../iface/l4.js";
import { readU16 } from "../wire/address.js";
import type { DropReason } from "../wire/drop.js";
import { IP_PROTO_TCP } from "../wire/ipv4.js";
import type { TcpConfig } from "./config.js";
import { resetReply } from "./input.js";
import { ACK, RST, SYN, Tcp, type TcpRepr } from "./segment.js";
import { TcpSocket } from "./socket.js";

const EPHEMERAL_FIRST = 49152;
const EPHEMERAL_LAST = 65535;

/** Options of a layer. */
export interface TcpLayerOptions {
  /** Defaults for every socket of this layer. */
  readonly config?: Partial<TcpConfig>;
  /** Secret of the ISN hash (default random); fixed in tests for reproducible runs. */
  readonly isnSecret?: number;
  /** Called when a socket has output to send outside a poll (the stack schedules one). */
  readonly onWork?: () => void;
}

/** Counters of the layer. */
export interface TcpLayerStats {
  segmentsIn: number;
  segmentsOut: number;
  resetsSent: number;
  /** Segments for no connection and no listener (answered with RST). */
  noSocket: number;
  /** SYNs dropped because a listener's backlog was full. */
  backlogDrops: number;
  drops: Partial<Record<DropReason, number>>;
}

/** A listening port: connections arrive through `onConnection` once their handshake completes. */
export class TcpListener {
  /** Children still in SYN-RECEIVED. */
  pending = 0;
  closed = false;

  constructor(
    readonly port: number,
    readonly backlog: number,
    readonly config: Partial<TcpConfig>,
    readonly onConnection: (s: TcpSocket) => void,
    private readonly layer: TcpLayer,
  ) {}

  /** Stop accepting (established connections stay). */
  close(): void {
    this.closed = true;
    this.layer.unlisten(this);
  }
}

function key(localPort: number, remoteAddr: number, remotePort: number): string {
  return `${localPort}|${remoteAddr}|${remotePort}`;
}

/** FNV-1a over 32-bit words: the keyed hash of RFC 6528's F() (not cryptographic; see docs/net.md). */
function hash32(words: number[]): number {
  let h = 0x811c9dc5;
  for (const w of words) {
    for (let i = 0; i < 4; i++) {
      h ^= (w >>> (i * 8)) & 0xff;
      h = Math.imul(h, 0x01000193);
    }
  }
  return h >>> 0;
}

/** TCP for one interface. */
export class TcpLayer implements L4Handler {
  readonly protocol = IP_PROTO_TCP;
  readonly stats: TcpLayerStats = {
    segmentsIn: 0,
    segmentsOut: 0,
    resetsSent: 0,
    noSocket: 0,
    backlogDrops: 0,
    drops: {},
  };
  /** The link's largest TCP payload, learnt from the interface (Ethernet: 1480 - 20). */
  linkMss = 1460;
  private readonly conns = new Map<string, TcpSocket>();
  /**
   * Connections in TIME-WAIT, oldest first (2·MSL is the same for all, so insertion order is expiry
   * order, up to restarts, which only make one expire later): they are not polled one by one, which keeps
   * a poll cheap on a server that closed thousands of connections in the last minute.
   */
  private readonly timeWaits = new Map<string, TcpSocket>();
  private readonly listeners = new Map<number, TcpListener>();
  private readonly secret: number;
  private nextEphemeral: number;
  private lastNow = 0;

  constructor(readonly options: TcpLayerOptions = {}) {
    this.secret = options.isnSecret ?? (Math.random() * 0x1_0000_0000) >>> 0;
    this.nextEphemeral = EPHEMERAL_FIRST + (this.secret % (EPHEMERAL_LAST - EPHEMERAL_FIRST));
  }

  /** Connections in the demultiplexing table (including TIME-WAIT). */
  get connections(): TcpSocket[] {
    return [...this.conns.values(), ...this.timeWaits.values()];
  }

  /** Listen on `port`; each completed handshake is handed to `onConnection`. */
  listen(
    port: number,
    onConnection: (s: TcpSocket) => void,
    options: { backlog?: number; config?: Partial<TcpConfig> } = {},
  ): TcpListener {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new NetError("BAD_OPTION", `port must be an integer in [1, 65535] (got ${port})`);
    }
    if (this.listeners.has(port)) throw new NetError("ADDR_IN_USE", `TCP port ${port} is already listening`);
    const l = new TcpListener(
      port,
      options.backlog ?? 128,
      { ...this.options.config, ...options.config },
      onConnection,
      this,
    );
    this.listeners.set(port, l);
    return l;
  }

  /** Remove a listener (from `TcpListener.close`). */
  unlisten(l: TcpListener): void {
    if (this.listeners.get(l.port) === l) this.listeners.delete(l.port);
  }

  /** Active open to `remoteAddr:remotePort`; the SYN goes at the next poll. */
  connect(
    remoteAddr: number,
    remotePort: number,
    options: { localPort?: number; config?: Partial<TcpConfig>; now?: number } = {},
  ): TcpSocket {
    if (!Number.isInteger(remotePort) || remotePort < 1 || remotePort > 65535) {
      throw new NetError("BAD_OPTION", `port must be an integer in [1, 65535] (got ${remotePort})`);
    }
    const localPort = options.localPort ?? this.ephemeral(remoteAddr, remotePort);
    const k = key(localPort, remoteAddr, remotePort);
    if (this.conns.has(k) || this.timeWaits.has(k)) {
      throw new NetError("ADDR_IN_USE", `connection ${k} already exists`);
    }
    const s = new TcpSocket({ ...this.options.config, ...options.config }, this.linkMss);
    const now = options.now ?? this.lastNow;
    s.connect(
      now,
      { addr: remoteAddr, port: remotePort },
      localPort,
      this.isn(now, localPort, remoteAddr, remotePort),
    );
    this.conns.set(k, s);
    this.options.onWork?.();
    return s;
  }

  /** RFC 6528: M (4 µs ticks) + F(four-tuple, secret). */
  isn(now: number, localPort: number, remoteAddr: number, remotePort: number): number {
    return (Math.floor(now * 250) + hash32([this.secret, localPort, remoteAddr, remotePort])) >>> 0;
  }

  input(now: number, ip: IpInfo, payload: Uint8Array, tx: L4Tx): L4InputResult {
    this.lastNow = now;
    this.linkMss = tx.maxPayload - 20;
    const seg = Tcp.parse(payload, ip.src, ip.dst);
    if (typeof seg === "string") {
      this.stats.drops[seg] = (this.stats.drops[seg] ?? 0) + 1;
      return seg;
    }
    this.stats.segmentsIn++;
    const k = key(seg.dstPort, ip.src, seg.srcPort);
    let s = this.conns.get(k) ?? this.timeWaits.get(k);
    if (s === undefined) {
      const l = this.listeners.get(seg.dstPort);
      if (l !== undefined && (seg.flags & (SYN | ACK | RST)) === SYN) {
        if (l.pending >= l.backlog) {
          this.stats.backlogDrops++; // as Linux: drop, the client's SYN retransmission tries again
          return "accepted";
        }
        s = this.spawn(l, k, now);
      } else {
        this.stats.noSocket++;
        const r = resetReply(seg);
        if (r !== undefined) this.emit(tx, r, ip.dst, ip.src);
        return "accepted";
      }
    }
    const reply = s.process(now, ip, seg);
    if (reply !== undefined) this.emit(tx, reply, ip.dst, ip.src);
    if (s.dirty) this.options.onWork?.();
    return "accepted";
  }

  private spawn(l: TcpListener, k: string, now: number): TcpSocket {
    const s = new TcpSocket(l.config, this.linkMss);
    s.listen(l.port);
    s.isn = () => this.isn(now, l.port, s.remote.addr, s.remote.port);
    l.pending++;
    let counted = true;
    const settle = () => {
      if (counted) l.pending--;
      counted = false;
    };
    s.hooks = {
      onEstablished: () => {
        settle();
        if (l.closed) s.abort();
        else l.onConnection(s);
      },
      onClosed: settle,
    };
    this.conns.set(k, s);
    return s;
  }

  dispatch(now: number, tx: L4Tx): void {
    this.lastNow = now;
    this.linkMss = tx.maxPayload - 20;
    for (const [k, s] of this.conns) {
      if (s.pollAt(now) <= now) {
        s.dispatch(now, (repr) => {
          const src = s.local.addr;
          return this.emit(tx, repr, src, s.remote.addr, s);
        });
      }
      if (s.state === "CLOSED" && s.rstPending === undefined) this.conns.delete(k);
      else if (s.state === "TIME-WAIT" && !s.ackPending) {
        this.conns.delete(k);
        this.timeWaits.set(k, s);
      }
    }
    for (const [k, s] of this.timeWaits) {
      if (s.state === "TIME-WAIT" && s.timeWaitAt > now) break;
      s.dispatch(now, () => false); // TIME-WAIT's expiry sends nothing
      this.timeWaits.delete(k);
    }
  }

  pollAt(now: number): number {
    let t = Number.POSITIVE_INFINITY;
    for (const s of this.timeWaits.values()) {
      t = s.state === "TIME-WAIT" ? s.timeWaitAt : now; // only the oldest matters
      break;
    }
    for (const s of this.conns.values()) {
      const p = s.pollAt(now);
      if (p < t) t = p;
    }
    return t;
  }

  icmpError(_now: number, kind: IcmpErrorKind, ip: IpInfo, quoted: Uint8Array): void {
    if (quoted.length < 4) return;
    const s = this.conns.get(key(readU16(quoted, 0), ip.dst, readU16(quoted, 2)));
    // RFC 5461: only a handshake in progress is given up on an ICMP error; hard errors on an established
    // connection are left to the retransmission timer.
    if (s?.state === "SYN-SENT" && kind !== "frag-needed") s.finish("REFUSED");
  }

  private emit(tx: L4Tx, repr: TcpRepr, src: number, dst: number, s?: TcpSocket): boolean {
    const r = tx.emit({ src, dst, protocol: IP_PROTO_TCP }, Tcp.bufferLen(repr), (buf, resolved) => {
      if (s !== undefined && s.local.addr === 0) s.local.addr = resolved.src;
      Tcp.emit(repr, buf, resolved.src, resolved.dst);
    });
    if (r !== "sent" && r !== "queued") return false;
    this.stats.segmentsOut++;
    if ((repr.flags & RST) !== 0) this.stats.resetsSent++;
    return true;
  }

  private ephemeral(remoteAddr: number, remotePort: number): number {
    const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    for (let i = 0; i < span; i++) {
      const p = this.nextEphemeral;
      this.nextEphemeral = p === EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
      const k = key(p, remoteAddr, remotePort);
      if (!this.conns.has(k) && !this.timeWaits.has(k) && !this.listeners.has(p)) return p;
    }
    throw new NetError("ADDR_IN_USE", "no free ephemeral TCP port");
  }
}
