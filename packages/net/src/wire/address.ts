/**
 * Addresses as numbers: an IPv4 address is a uint32 (10.77.0.1 = 0x0a4d0001), a MAC a 48-bit integer
 * (exact in a double). Numbers compare with `===`, key Maps without allocation, and are read and written
 * with shifts; strings appear only at the API edge.
 */

import { NetError } from "../errors.js";

/** The Ethernet broadcast address ff:ff:ff:ff:ff:ff. */
export const MAC_BROADCAST = 0xffff_ffff_ffff;
/** 255.255.255.255. */
export const IPV4_BROADCAST = 0xffff_ffff;
/** 0.0.0.0, "unspecified". */
export const IPV4_UNSPECIFIED = 0;

/** Parse dotted-quad IPv4 text; throws NetError BAD_OPTION on anything else. */
export function parseIpv4(text: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  const parts = m?.slice(1).map(Number);
  if (parts === undefined || parts.some((p) => p > 255)) {
    throw new NetError("BAD_OPTION", `expected an IPv4 address like 10.77.0.2, got ${JSON.stringify(text)}`);
  }
  const [a, b, c, d] = parts as [number, number, number, number];
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** Dotted-quad text of a uint32 address. */
export function formatIpv4(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** Parse `aa:bb:cc:dd:ee:ff` (or `-` separated); throws NetError BAD_OPTION otherwise. */
export function parseMac(text: string): number {
  if (!/^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/.test(text)) {
    throw new NetError(
      "BAD_OPTION",
      `expected a MAC address like 02:00:00:00:00:01, got ${JSON.stringify(text)}`,
    );
  }
  return Number.parseInt(text.replace(/[:-]/g, ""), 16);
}

/** `aa:bb:cc:dd:ee:ff` text of a 48-bit MAC. */
export function formatMac(mac: number): string {
  return mac
    .toString(16)
    .padStart(12, "0")
    .replace(/(..)(?!$)/g, "$1:");
}

/** Read a big-endian uint32 at `off`. */
export function readU32(b: Uint8Array, off: number): number {
  return (
    (((b[off] as number) << 24) |
      ((b[off + 1] as number) << 16) |
      ((b[off + 2] as number) << 8) |
      (b[off + 3] as number)) >>>
    0
  );
}

/** Write a big-endian uint32 at `off`. */
export function writeU32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

/** Read a big-endian uint16 at `off`. */
export function readU16(b: Uint8Array, off: number): number {
  return ((b[off] as number) << 8) | (b[off + 1] as number);
}

/** Write a big-endian uint16 at `off`. */
export function writeU16(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}

/** Read a 48-bit MAC at `off`. */
export function readMac(b: Uint8Array, off: number): number {
  return readU16(b, off) * 0x1_0000_0000 + readU32(b, off + 2);
}

/** Write a 48-bit MAC at `off`. */
export function writeMac(b: Uint8Array, off: number, mac: number): void {
  writeU16(b, off, Math.floor(mac / 0x1_0000_0000));
  writeU32(b, off + 2, mac % 0x1_0000_0000);
}

/** The network mask of a prefix length (24 -> 0xffffff00). */
export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffff_ffff << (32 - prefix)) >>> 0;
}
