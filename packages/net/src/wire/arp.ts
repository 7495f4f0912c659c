/**
 * ARP for IPv4 over Ethernet (RFC 826). Other hardware or protocol types are "unsupported" and dropped.
 */

import { readMac, readU16, readU32, writeMac, writeU16, writeU32 } from "./address.js";
import type { DropReason } from "./drop.js";

/** Field offsets. */
export const ARP_HTYPE = 0;
export const ARP_PTYPE = 2;
export const ARP_HLEN = 4;
export const ARP_PLEN = 5;
export const ARP_OPER = 6;
export const ARP_SHA = 8;
export const ARP_SPA = 14;
export const ARP_THA = 18;
export const ARP_TPA = 24;
export const ARP_PACKET_LEN = 28;

/** Operation codes. */
export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

const HTYPE_ETHERNET = 1;
const PTYPE_IPV4 = 0x0800;

/** The parsed form of an Ethernet/IPv4 ARP packet. */
export interface ArpRepr {
  readonly operation: typeof ARP_REQUEST | typeof ARP_REPLY;
  readonly senderMac: number;
  readonly senderIp: number;
  readonly targetMac: number;
  readonly targetIp: number;
}

/** Parse, emit and size ARP packets. */
export const Arp = {
  /** Parse an ARP packet from the start of `buf` (Ethernet padding after byte 28 is ignored). */
  parse(buf: Uint8Array): ArpRepr | DropReason {
    if (buf.length < ARP_PACKET_LEN) return "truncated";
    if (
      readU16(buf, ARP_HTYPE) !== HTYPE_ETHERNET ||
      readU16(buf, ARP_PTYPE) !== PTYPE_IPV4 ||
      buf[ARP_HLEN] !== 6 ||
      buf[ARP_PLEN] !== 4
    ) {
      return "unsupported";
    }
    const op = readU16(buf, ARP_OPER);
    if (op !== ARP_REQUEST && op !== ARP_REPLY) return "unsupported";
    return {
      operation: op,
      senderMac: readMac(buf, ARP_SHA),
      senderIp: readU32(buf, ARP_SPA),
      targetMac: readMac(buf, ARP_THA),
      targetIp: readU32(buf, ARP_TPA),
    };
  },
  emit(repr: ArpRepr, buf: Uint8Array): void {
    writeU16(buf, ARP_HTYPE, HTYPE_ETHERNET);
    writeU16(buf, ARP_PTYPE, PTYPE_IPV4);
    buf[ARP_HLEN] = 6;
    buf[ARP_PLEN] = 4;
    writeU16(buf, ARP_OPER, repr.operation);
    writeMac(buf, ARP_SHA, repr.senderMac);
    writeU32(buf, ARP_SPA, repr.senderIp);
    writeMac(buf, ARP_THA, repr.targetMac);
    writeU32(buf, ARP_TPA, repr.targetIp);
  },
  bufferLen(): number {
    return ARP_PACKET_LEN;
  },
};
