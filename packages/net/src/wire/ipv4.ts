/**
 * IPv4 headers (RFC 791). Parsing checks everything a later accessor relies on: version, IHL, total
 * length against the bytes present, the header checksum, and that every option's length stays inside the
 * header (options are walked, not interpreted: a host may ignore them, RFC 1122 §3.2.1.8). Emitting writes
 * a 20-byte header without options.
 */

import { readU16, readU32, writeU16, writeU32 } from "./address.js";
import { checksum } from "./checksum.js";
import type { DropReason } from "./drop.js";

/** Field offsets. */
export const IP_VER_IHL = 0;
export const IP_TOS = 1;
export const IP_TOTAL_LEN = 2;
export const IP_IDENT = 4;
export const IP_FLAGS_FRAG = 6;
export const IP_TTL = 8;
export const IP_PROTOCOL = 9;
export const IP_CHECKSUM = 10;
export const IP_SRC = 12;
export const IP_DST = 16;
export const IP_OPTIONS = 20;
/** Header length without options. */
export const IP_HEADER_LEN = 20;
/** The largest datagram (total length is 16 bits). */
export const IP_MAX_DATAGRAM = 0xffff;

/** Flag bits in the flags/fragment-offset word. */
export const IP_FLAG_DF = 0x4000;
export const IP_FLAG_MF = 0x2000;
const FRAG_OFFSET_MASK = 0x1fff;

/** IP protocol numbers. */
export const IP_PROTO_ICMP = 1;
export const IP_PROTO_TCP = 6;
export const IP_PROTO_UDP = 17;

/** Option types with no length byte. */
const OPT_END = 0;
const OPT_NOP = 1;

/** The parsed form of an IPv4 header. */
export interface Ipv4Repr {
  readonly src: number;
  readonly dst: number;
  readonly protocol: number;
  readonly ttl: number;
  readonly tos: number;
  readonly ident: number;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  /** Offset of this fragment's payload in the original datagram, in bytes. */
  readonly fragmentOffset: number;
  /** Header length in bytes (20 plus options). */
  readonly headerLen: number;
  /** Payload bytes (total length minus header length). */
  readonly payloadLen: number;
}

/** What `Ipv4.emit` needs. */
export interface Ipv4EmitRepr {
  readonly src: number;
  readonly dst: number;
  readonly protocol: number;
  readonly ttl: number;
  readonly ident: number;
  readonly payloadLen: number;
  readonly dontFragment?: boolean;
  readonly moreFragments?: boolean;
  readonly fragmentOffset?: number;
  readonly tos?: number;
}

function optionsValid(buf: Uint8Array, end: number): boolean {
  let i = IP_OPTIONS;
  while (i < end) {
    const type = buf[i] as number;
    if (type === OPT_END) return true;
    if (type === OPT_NOP) {
      i += 1;
      continue;
    }
    if (i + 1 >= end) return false;
    const len = buf[i + 1] as number;
    // A length below 2 would loop forever or step backwards; past `end` it lies about the header.
    if (len < 2 || i + len > end) return false;
    i += len;
  }
  return true;
}

/** Parse, emit and size IPv4 headers. */
export const Ipv4 = {
  /**
   * Parse the header at the start of `buf` (an Ethernet payload, maybe padded). The payload is
   * `buf.subarray(headerLen, headerLen + payloadLen)`.
   */
  parse(buf: Uint8Array, verifyChecksum = true): Ipv4Repr | DropReason {
    if (buf.length < IP_HEADER_LEN) return "truncated";
    const verIhl = buf[IP_VER_IHL] as number;
    if (verIhl >>> 4 !== 4) return "unsupported";
    const headerLen = (verIhl & 0x0f) * 4;
    if (headerLen < IP_HEADER_LEN) return "bad-length";
    if (headerLen > buf.length) return "truncated";
    const total = readU16(buf, IP_TOTAL_LEN);
    if (total < headerLen) return "bad-length";
    if (total > buf.length) return "truncated";
    if (verifyChecksum && checksum(buf, 0, headerLen) !== 0) return "bad-checksum";
    if (headerLen > IP_HEADER_LEN && !optionsValid(buf, headerLen)) return "bad-option";
    const flagsFrag = readU16(buf, IP_FLAGS_FRAG);
    const payloadLen = total - headerLen;
    const moreFragments = (flagsFrag & IP_FLAG_MF) !== 0;
    const fragmentOffset = (flagsFrag & FRAG_OFFSET_MASK) * 8;
    // A non-final fragment must carry a multiple of 8 bytes, and no fragment may end past 64 KiB.
    if (moreFragments && payloadLen % 8 !== 0) return "bad-length";
    if (fragmentOffset + payloadLen > IP_MAX_DATAGRAM - IP_HEADER_LEN) return "bad-length";
    return {
      src: readU32(buf, IP_SRC),
      dst: readU32(buf, IP_DST),
      protocol: buf[IP_PROTOCOL] as number,
      ttl: buf[IP_TTL] as number,
      tos: buf[IP_TOS] as number,
      ident: readU16(buf, IP_IDENT),
      dontFragment: (flagsFrag & IP_FLAG_DF) !== 0,
      moreFragments,
      fragmentOffset,
      headerLen,
      payloadLen,
    };
  },

  /** Write a 20-byte header (with its checksum) at the start of `buf`. */
  emit(repr: Ipv4EmitRepr, buf: Uint8Array): void {
    buf[IP_VER_IHL] = 0x45;
    buf[IP_TOS] = repr.tos ?? 0;
    writeU16(buf, IP_TOTAL_LEN, IP_HEADER_LEN + repr.payloadLen);
    writeU16(buf, IP_IDENT, repr.ident);
    const flags =
      (repr.dontFragment === true ? IP_FLAG_DF : 0) | (repr.moreFragments === true ? IP_FLAG_MF : 0);
    writeU16(buf, IP_FLAGS_FRAG, flags | (((repr.fragmentOffset ?? 0) >>> 3) & FRAG_OFFSET_MASK));
    buf[IP_TTL] = repr.ttl;
    buf[IP_PROTOCOL] = repr.protocol;
    writeU16(buf, IP_CHECKSUM, 0);
    writeU32(buf, IP_SRC, repr.src);
    writeU32(buf, IP_DST, repr.dst);
    writeU16(buf, IP_CHECKSUM, checksum(buf, 0, IP_HEADER_LEN));
  },

  bufferLen(payloadLen: number): number {
    return IP_HEADER_LEN + payloadLen;
  },
};
