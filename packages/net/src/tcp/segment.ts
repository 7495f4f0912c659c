/**
 * TCP segments (RFC 9293 §3.1): `TcpPacket`, a view over the bytes with field offsets as named constants,
 * and `TcpRepr`, the parsed form, with `Tcp.parse` / `Tcp.emit` / `Tcp.bufferLen`. A parsed repr's payload
 * is a view into the frame (no copy); an emitted repr's payload is copied once, into the outgoing frame.
 */

import { readU16, readU32, writeU16, writeU32 } from "../wire/address.js";
import { checksum, pseudoHeaderSum } from "../wire/checksum.js";
import type { DropReason } from "../wire/drop.js";
import { IP_PROTO_TCP } from "../wire/ipv4.js";
import { optionsLen, parseOptions, type TcpOptions, writeOptions } from "./options.js";

/** Field offsets. */
export const TCP_SRC_PORT = 0;
export const TCP_DST_PORT = 2;
export const TCP_SEQ = 4;
export const TCP_ACK = 8;
/** Data offset (high 4 bits, in 32-bit words) and the reserved bits. */
export const TCP_DATA_OFFSET = 12;
export const TCP_FLAGS = 13;
export const TCP_WINDOW = 14;
export const TCP_CHECKSUM = 16;
export const TCP_URGENT = 18;
export const TCP_HEADER_LEN = 20;
/** Data offset 15 words. */
export const TCP_MAX_HEADER_LEN = 60;

/** Control bits. */
export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;
export const URG = 0x20;

/** The parsed form of a segment. Options absent on the wire are absent here. */
export interface TcpRepr extends TcpOptions {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  /** Meaningful only with the ACK flag (0 otherwise). */
  readonly ack: number;
  readonly flags: number;
  /** The raw 16-bit window field (unscaled). */
  readonly window: number;
  readonly urgent?: number;
  /** Parsed: a view into the received frame. Emitted: the bytes to copy after the header. */
  readonly payload: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** A view over the bytes of one segment; `check` validates the lengths once so no accessor can fail. */
export class TcpPacket {
  private constructor(readonly buf: Uint8Array) {}

  /** A view of `buf`, or why it cannot be one (shorter than its header or a lying data offset). */
  static check(buf: Uint8Array): TcpPacket | DropReason {
    if (buf.length < TCP_HEADER_LEN) return "truncated";
    const hl = ((buf[TCP_DATA_OFFSET] as number) >>> 4) * 4;
    if (hl < TCP_HEADER_LEN || hl > buf.length) return "bad-length";
    return new TcpPacket(buf);
  }

  get srcPort(): number {
    return readU16(this.buf, TCP_SRC_PORT);
  }
  get dstPort(): number {
    return readU16(this.buf, TCP_DST_PORT);
  }
  get seq(): number {
    return readU32(this.buf, TCP_SEQ);
  }
  get ack(): number {
    return readU32(this.buf, TCP_ACK);
  }
  get headerLen(): number {
    return ((this.buf[TCP_DATA_OFFSET] as number) >>> 4) * 4;
  }
  get flags(): number {
    return (this.buf[TCP_FLAGS] as number) & 0x3f;
  }
  get window(): number {
    return readU16(this.buf, TCP_WINDOW);
  }
  get checksumField(): number {
    return readU16(this.buf, TCP_CHECKSUM);
  }
  get urgent(): number {
    return readU16(this.buf, TCP_URGENT);
  }
  get payload(): Uint8Array {
    return this.buf.subarray(this.headerLen);
  }
  /** True when the checksum verifies against the pseudo-header of `src` → `dst`. */
  verifyChecksum(src: number, dst: number): boolean {
    const n = this.buf.length;
    return checksum(this.buf, 0, n, pseudoHeaderSum(src, dst, IP_PROTO_TCP, n)) === 0;
  }
}

/** Parse, emit and size TCP segments. */
export const Tcp = {
  /** Parse the IP payload `buf` as a segment from `src` to `dst`, verifying the checksum and options. */
  parse(buf: Uint8Array, src: number, dst: number): TcpRepr | DropReason {
    const p = TcpPacket.check(buf);
    if (typeof p === "string") return p;
    if (!p.verifyChecksum(src, dst)) return "bad-checksum";
    if (p.srcPort === 0 || p.dstPort === 0) return "bad-field";
    const flags = p.flags;
    // SYN+FIN and SYN+RST are never valid together; dropping them here keeps the state machine simpler.
    if ((flags & SYN) !== 0 && (flags & (FIN | RST)) !== 0) return "bad-field";
    const opts = parseOptions(buf, TCP_HEADER_LEN, p.headerLen);
    if (typeof opts === "string") return opts;
    const repr: TcpRepr = {
      srcPort: p.srcPort,
      dstPort: p.dstPort,
      seq: p.seq,
      ack: (flags & ACK) !== 0 ? p.ack : 0,
      flags,
      window: p.window,
      payload: p.payload,
      ...((flags & URG) !== 0 ? { urgent: p.urgent } : {}),
      // MSS and window scale mean something only on SYN segments (RFC 9293 §3.7.1, RFC 7323 §2.2).
      ...((flags & SYN) !== 0 ? opts : {}),
    };
    return repr;
  },

  /** The header length `repr` emits to (20 plus its options). */
  headerLen(repr: TcpOptions): number {
    return TCP_HEADER_LEN + optionsLen(repr);
  },

  /** Header plus payload bytes. */
  bufferLen(repr: TcpRepr): number {
    return Tcp.headerLen(repr) + repr.payload.length;
  },

  /**
   * Write `repr` into `buf` (exactly `bufferLen(repr)` bytes, or more when the caller has already placed
   * payload bytes after the header) and fill in the checksum over all of `buf`.
   */
  emit(repr: TcpRepr, buf: Uint8Array, src: number, dst: number): void {
    const hl = Tcp.headerLen(repr);
    writeU16(buf, TCP_SRC_PORT, repr.srcPort);
    writeU16(buf, TCP_DST_PORT, repr.dstPort);
    writeU32(buf, TCP_SEQ, repr.seq);
    writeU32(buf, TCP_ACK, (repr.flags & ACK) !== 0 ? repr.ack : 0);
    buf[TCP_DATA_OFFSET] = (hl / 4) << 4;
    buf[TCP_FLAGS] = repr.flags & 0x3f;
    writeU16(buf, TCP_WINDOW, repr.window);
    writeU16(buf, TCP_CHECKSUM, 0);
    writeU16(buf, TCP_URGENT, repr.urgent ?? 0);
    writeOptions(buf, TCP_HEADER_LEN, repr);
    if (repr.payload.length > 0) buf.set(repr.payload, hl);
    const n = buf.length;
    writeU16(buf, TCP_CHECKSUM, checksum(buf, 0, n, pseudoHeaderSum(src, dst, IP_PROTO_TCP, n)));
  },

  /** Sequence space a segment occupies: payload plus one each for SYN and FIN. */
  segLen(repr: TcpRepr): number {
    return repr.payload.length + ((repr.flags & SYN) !== 0 ? 1 : 0) + ((repr.flags & FIN) !== 0 ? 1 : 0);
  },

  EMPTY,
};

/** Flags as text (`SYN|ACK`), for errors and test messages. */
export function flagNames(flags: number): string {
  const names: string[] = [];
  for (const [bit, name] of [
    [SYN, "SYN"],
    [FIN, "FIN"],
    [RST, "RST"],
    [PSH, "PSH"],
    [ACK, "ACK"],
    [URG, "URG"],
  ] as const) {
    if ((flags & bit) !== 0) names.push(name);
  }
  return names.join("|") || "none";
}
