/**
 * TCP options (RFC 9293 §3.2): MSS (kind 2), window scale (kind 3, RFC 7323), SACK-permitted (kind 4,
 * RFC 2018). SACK blocks (5) and timestamps (8) are walked over and ignored. An option whose length byte
 * lies (below 2, past the header, or wrong for its kind) makes the whole segment malformed: a peer that
 * writes such options cannot be trusted with the rest of the header either.
 */

import type { DropReason } from "../wire/drop.js";

/** Option kinds. */
export const OPT_END = 0;
export const OPT_NOP = 1;
export const OPT_MSS = 2;
export const OPT_WINDOW_SCALE = 3;
export const OPT_SACK_PERMITTED = 4;
export const OPT_SACK = 5;
export const OPT_TIMESTAMPS = 8;

/** The largest shift RFC 7323 §2.3 allows; larger values are treated as this. */
export const MAX_WINDOW_SCALE = 14;

/** The options this stack understands, as parsed from (or to be written into) a header. */
export interface TcpOptions {
  mss?: number;
  windowScale?: number;
  sackPermitted?: boolean;
}

/** Walk `buf[start, end)` and collect the options; a drop reason if any length lies. */
export function parseOptions(buf: Uint8Array, start: number, end: number): TcpOptions | DropReason {
  const out: TcpOptions = {};
  let i = start;
  while (i < end) {
    const kind = buf[i] as number;
    if (kind === OPT_END) break;
    if (kind === OPT_NOP) {
      i++;
      continue;
    }
    if (i + 1 >= end) return "bad-option";
    const len = buf[i + 1] as number;
    if (len < 2 || i + len > end) return "bad-option";
    switch (kind) {
      case OPT_MSS:
        if (len !== 4) return "bad-option";
        out.mss = ((buf[i + 2] as number) << 8) | (buf[i + 3] as number);
        break;
      case OPT_WINDOW_SCALE:
        if (len !== 3) return "bad-option";
        out.windowScale = Math.min(buf[i + 2] as number, MAX_WINDOW_SCALE);
        break;
      case OPT_SACK_PERMITTED:
        if (len !== 2) return "bad-option";
        out.sackPermitted = true;
        break;
      case OPT_SACK:
        if ((len - 2) % 8 !== 0) return "bad-option";
        break;
      case OPT_TIMESTAMPS:
        if (len !== 10) return "bad-option";
        break;
      default:
        break; // unknown kinds are skipped by their length (RFC 9293 §3.2)
    }
    i += len;
  }
  return out;
}

/** Bytes `writeOptions` uses for `o` (a multiple of 4: each option is padded with NOPs to a word). */
export function optionsLen(o: TcpOptions): number {
  return (o.mss !== undefined ? 4 : 0) + (o.windowScale !== undefined ? 4 : 0) + (o.sackPermitted ? 4 : 0);
}

/** Write `o` at `buf[off]`; returns the bytes written (`optionsLen(o)`). */
export function writeOptions(buf: Uint8Array, off: number, o: TcpOptions): number {
  let i = off;
  if (o.mss !== undefined) {
    buf[i++] = OPT_MSS;
    buf[i++] = 4;
    buf[i++] = (o.mss >>> 8) & 0xff;
    buf[i++] = o.mss & 0xff;
  }
  if (o.windowScale !== undefined) {
    buf[i++] = OPT_NOP;
    buf[i++] = OPT_WINDOW_SCALE;
    buf[i++] = 3;
    buf[i++] = o.windowScale;
  }
  if (o.sackPermitted) {
    buf[i++] = OPT_NOP;
    buf[i++] = OPT_NOP;
    buf[i++] = OPT_SACK_PERMITTED;
    buf[i++] = 2;
  }
  return i - off;
}
