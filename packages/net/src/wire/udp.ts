/**
 * UDP headers (RFC 768). The checksum covers the pseudo-header; 0 on the wire means "none" (allowed over
 * IPv4), and a computed 0 is sent as 0xffff.
 */

import { readU16, writeU16 } from "./address.js";
import { checksum, pseudoHeaderSum } from "./checksum.js";
import type { DropReason } from "./drop.js";
import { IP_PROTO_UDP } from "./ipv4.js";

/** Field offsets. */
export const UDP_SRC_PORT = 0;
export const UDP_DST_PORT = 2;
export const UDP_LENGTH = 4;
export const UDP_CHECKSUM = 6;
export const UDP_HEADER_LEN = 8;

/** The parsed form of a UDP header; the payload is `buf.subarray(8, 8 + payloadLen)`. */
export interface UdpRepr {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payloadLen: number;
}

/** Parse, emit and size UDP datagrams. */
export const Udp = {
  /** Parse a UDP datagram that is exactly the IP payload `buf`, verifying the checksum if present. */
  parse(buf: Uint8Array, src: number, dst: number): UdpRepr | DropReason {
    if (buf.length < UDP_HEADER_LEN) return "truncated";
    const length = readU16(buf, UDP_LENGTH);
    // The UDP length may be shorter than the IP payload (trailing bytes ignored), never longer.
    if (length < UDP_HEADER_LEN || length > buf.length) return "bad-length";
    const dstPort = readU16(buf, UDP_DST_PORT);
    if (dstPort === 0) return "bad-field";
    if (
      readU16(buf, UDP_CHECKSUM) !== 0 &&
      checksum(buf, 0, length, pseudoHeaderSum(src, dst, IP_PROTO_UDP, length)) !== 0
    ) {
      return "bad-checksum";
    }
    return { srcPort: readU16(buf, UDP_SRC_PORT), dstPort, payloadLen: length - UDP_HEADER_LEN };
  },

  /** Write the header into `buf` (already holding the payload at offset 8) and fill in the checksum. */
  emit(repr: UdpRepr, buf: Uint8Array, src: number, dst: number): void {
    const length = UDP_HEADER_LEN + repr.payloadLen;
    writeU16(buf, UDP_SRC_PORT, repr.srcPort);
    writeU16(buf, UDP_DST_PORT, repr.dstPort);
    writeU16(buf, UDP_LENGTH, length);
    writeU16(buf, UDP_CHECKSUM, 0);
    const c = checksum(buf, 0, length, pseudoHeaderSum(src, dst, IP_PROTO_UDP, length));
    writeU16(buf, UDP_CHECKSUM, c === 0 ? 0xffff : c);
  },

  bufferLen(payloadLen: number): number {
    return UDP_HEADER_LEN + payloadLen;
  },
};
