/**
 * Why a frame was dropped. Parsers return one of these instead of throwing (frames come from the wire, so
 * a bad one is data, not an exception); the interface counts each in its stats.
 */
export type DropReason =
  /** Shorter than the header it claims to carry. */
  | "truncated"
  /** A length field disagrees with the bytes present (IPv4 total length, UDP length, IHL). */
  | "bad-length"
  /** A checksum did not verify. */
  | "bad-checksum"
  /** A version, hardware or protocol type this stack does not speak. */
  | "unsupported"
  /** IPv4 options whose lengths run past the header or are too short. */
  | "bad-option"
  /** Not addressed to this host (MAC or IP). */
  | "not-for-us"
  /** A field value that is never valid (e.g. source address broadcast, zero port). */
  | "bad-field"
  /** A fragment that does not fit the reassembly limits, or a datagram that timed out. */
  | "reassembly"
  /** Our own queue was full. */
  | "no-buffer";

/** All drop reasons, for building zeroed counters. */
export const DROP_REASONS: readonly DropReason[] = [
  "truncated",
  "bad-length",
  "bad-checksum",
  "unsupported",
  "bad-option",
  "not-for-us",
  "bad-field",
  "reassembly",
  "no-buffer",
];

/** True when a parse result is a drop reason rather than a parsed form. */
export function isDrop<T extends object>(r: T | DropReason): r is DropReason {
  return typeof r === "string";
}
