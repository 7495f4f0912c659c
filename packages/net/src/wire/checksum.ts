/**
 * The Internet checksum (RFC 1071): the 16-bit ones' complement of the ones' complement sum of 16-bit
 * big-endian words. Sums are kept unfolded in a JS number while adding (a double holds 2^53 exactly, so
 * no carry is lost before the final fold) and folded once at the end.
 */

/** Fold a running sum to 16 bits with end-around carry. */
export function foldSum(sum: number): number {
  let s = sum;
  // Two folds are not always enough for sums above 2^32; loop until the carry is gone.
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/**
 * The folded ones' complement sum of `buf[offset, offset+length)` added to `initial` (a folded or unfolded
 * sum, e.g. a pseudo-header sum). An odd trailing byte is padded with zero, as RFC 1071 says; chain sums
 * only over even-length pieces, except for the last.
 */
export function onesSum(buf: Uint8Array, offset: number, length: number, initial = 0): number {
  let sum = initial;
  const end = offset + length;
  let i = offset;
  // Eight bytes per turn: fewer loop checks on the hot path (UDP/TCP payload sums).
  for (; i + 8 <= end; i += 8) {
    sum +=
      (((buf[i] as number) << 8) | (buf[i + 1] as number)) +
      (((buf[i + 2] as number) << 8) | (buf[i + 3] as number)) +
      (((buf[i + 4] as number) << 8) | (buf[i + 5] as number)) +
      (((buf[i + 6] as number) << 8) | (buf[i + 7] as number));
  }
  for (; i + 2 <= end; i += 2) sum += ((buf[i] as number) << 8) | (buf[i + 1] as number);
  if (i < end) sum += (buf[i] as number) << 8;
  return foldSum(sum);
}

/**
 * The Internet checksum of `buf[offset, offset+length)` with `initial` added first: the value to store in
 * a checksum field (computed with that field zeroed), or 0 when verifying a range that includes a correct
 * checksum field.
 */
export function checksum(buf: Uint8Array, offset: number, length: number, initial = 0): number {
  return ~onesSum(buf, offset, length, initial) & 0xffff;
}

/**
 * The folded sum of the IPv4 pseudo-header (RFC 768, RFC 9293 §3.1): source and destination addresses
 * (uint32), zero, protocol, and the transport length (header plus payload) in bytes.
 */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return foldSum(
    (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + (protocol & 0xff) + (length & 0xffff),
  );
}
