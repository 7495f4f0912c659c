/**
 * Ethernet II frames (no 802.1Q tags, no FCS: devices strip and add it). A view over the frame's bytes;
 * once `EthernetFrame.check` succeeds every accessor is in range.
 */

import { readMac, readU16, writeMac, writeU16 } from "./address.js";
import type { DropReason } from "./drop.js";

/** Field offsets. */
export const ETH_DST = 0;
export const ETH_SRC = 6;
export const ETH_TYPE = 12;
export const ETH_HEADER_LEN = 14;

/** EtherType values this stack handles. */
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;

/** A view of one Ethernet II frame. */
export class EthernetFrame {
  private constructor(readonly buf: Uint8Array) {}

  /** A checked view: the header is present. */
  static check(buf: Uint8Array): EthernetFrame | DropReason {
    return buf.length < ETH_HEADER_LEN ? "truncated" : new EthernetFrame(buf);
  }

  /** A view over a buffer the caller sized (`ETH_HEADER_LEN + payload`), for emitting. */
  static over(buf: Uint8Array): EthernetFrame {
    return new EthernetFrame(buf);
  }

  get dst(): number {
    return readMac(this.buf, ETH_DST);
  }
  get src(): number {
    return readMac(this.buf, ETH_SRC);
  }
  get ethertype(): number {
    return readU16(this.buf, ETH_TYPE);
  }
  /** The payload as a view into the frame (trailing Ethernet padding included: upper layers trim it). */
  get payload(): Uint8Array {
    return this.buf.subarray(ETH_HEADER_LEN);
  }
}

/** The parsed form of an Ethernet II header. */
export interface EthernetRepr {
  readonly dst: number;
  readonly src: number;
  readonly ethertype: number;
}

/** Parse, emit and size Ethernet headers. */
export const Ethernet = {
  parse(frame: EthernetFrame): EthernetRepr {
    return { dst: frame.dst, src: frame.src, ethertype: frame.ethertype };
  },
  /** Write the header into the first 14 bytes of `buf`. */
  emit(repr: EthernetRepr, buf: Uint8Array): void {
    writeMac(buf, ETH_DST, repr.dst);
    writeMac(buf, ETH_SRC, repr.src);
    writeU16(buf, ETH_TYPE, repr.ethertype);
  },
  bufferLen(payloadLen: number): number {
    return ETH_HEADER_LEN + payloadLen;
  },
};
