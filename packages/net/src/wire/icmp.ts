/**
 * ICMPv4 (RFC 792): echo request/reply and destination unreachable; other types parse as `other` so the
 * interface can count and ignore them.
 */

import { readU16, writeU16 } from "./address.js";
import { checksum } from "./checksum.js";
import type { DropReason } from "./drop.js";

/** Field offsets. */
export const ICMP_TYPE = 0;
export const ICMP_CODE = 1;
export const ICMP_CHECKSUM = 2;
export const ICMP_IDENT = 4;
export const ICMP_SEQ = 6;
export const ICMP_HEADER_LEN = 8;

/** Types and codes used here. */
export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const UNREACH_NET = 0;
export const UNREACH_HOST = 1;
export const UNREACH_PROTOCOL = 2;
export const UNREACH_PORT = 3;
export const UNREACH_FRAG_NEEDED = 4;

/** The parsed form of an ICMP message; `data` is a view of the bytes after the 8-byte header. */
export type IcmpRepr =
  | {
      readonly kind: "echo-request" | "echo-reply";
      readonly ident: number;
      readonly seq: number;
      readonly data: Uint8Array;
    }
  | { readonly kind: "dest-unreachable"; readonly code: number; readonly data: Uint8Array }
  | { readonly kind: "other"; readonly type: number; readonly code: number; readonly data: Uint8Array };

/** Parse, emit and size ICMP messages. */
export const Icmp = {
  /** Parse the ICMP message that is exactly `buf` (the IP payload), verifying the checksum. */
  parse(buf: Uint8Array): IcmpRepr | DropReason {
    if (buf.length < ICMP_HEADER_LEN) return "truncated";
    if (checksum(buf, 0, buf.length) !== 0) return "bad-checksum";
    const type = buf[ICMP_TYPE] as number;
    const code = buf[ICMP_CODE] as number;
    const data = buf.subarray(ICMP_HEADER_LEN);
    if ((type === ICMP_ECHO_REQUEST || type === ICMP_ECHO_REPLY) && code === 0) {
      return {
        kind: type === ICMP_ECHO_REQUEST ? "echo-request" : "echo-reply",
        ident: readU16(buf, ICMP_IDENT),
        seq: readU16(buf, ICMP_SEQ),
        data,
      };
    }
    if (type === ICMP_DEST_UNREACHABLE) return { kind: "dest-unreachable", code, data };
    return { kind: "other", type, code, data };
  },

  /**
   * Write the message into `buf` (exactly `bufferLen(repr)` bytes) and its checksum. `data` is copied
   * unless it already is the tail of `buf` (the echo reply built in place).
   */
  emit(repr: IcmpRepr, buf: Uint8Array): void {
    let type: number;
    let code = 0;
    writeU16(buf, ICMP_IDENT, 0);
    writeU16(buf, ICMP_SEQ, 0);
    switch (repr.kind) {
      case "echo-request":
      case "echo-reply":
        type = repr.kind === "echo-request" ? ICMP_ECHO_REQUEST : ICMP_ECHO_REPLY;
        writeU16(buf, ICMP_IDENT, repr.ident);
        writeU16(buf, ICMP_SEQ, repr.seq);
        break;
      case "dest-unreachable":
        type = ICMP_DEST_UNREACHABLE;
        code = repr.code;
        break;
      default:
        type = repr.type;
        code = repr.code;
    }
    buf[ICMP_TYPE] = type;
    buf[ICMP_CODE] = code;
    const tail = buf.subarray(ICMP_HEADER_LEN);
    if (repr.data.buffer !== tail.buffer || repr.data.byteOffset !== tail.byteOffset) tail.set(repr.data);
    writeU16(buf, ICMP_CHECKSUM, 0);
    writeU16(buf, ICMP_CHECKSUM, checksum(buf, 0, ICMP_HEADER_LEN + repr.data.length));
  },

  bufferLen(repr: IcmpRepr): number {
    return ICMP_HEADER_LEN + repr.data.length;
  },
};
