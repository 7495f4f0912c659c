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
  if (length >= WORDWISE_MIN && ((buf.byteOffset + offset) & 1) === 0) {
    return wordwiseSum(buf, offset, length, initial);
  }
  return bytewiseSum(buf, offset, offset + length, initial);
}

/** Below this many bytes a typed-array view costs more than it saves. */
const WORDWISE_MIN = 64;
/** True on little-endian hosts, where native 16-bit halves are byte-swapped words. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Big-endian 16-bit words from `i` to `end`, odd trailing byte padded. */
function bytewiseSum(buf: Uint8Array, start: number, end: number, initial: number): number {
  let sum = initial;
  let i = start;
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

let cachedBuffer: ArrayBufferLike | undefined;
let cachedView: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

/**
 * A word view of a whole buffer, cached for the last buffer seen: frames come from a few large slabs, so
 * this saves building a typed-array view per checksum.
 */
function wordView(b: ArrayBufferLike): Uint32Array {
  if (b !== cachedBuffer) {
    cachedBuffer = b;
    cachedView = new Uint32Array(b, 0, b.byteLength >>> 2);
  }
  return cachedView;
}

/**
 * The same sum read as 32-bit native words. RFC 1071 §2(B): the ones' complement sum is independent of
 * byte order, so summing byte-swapped words and swapping the folded result gives the big-endian sum.
 * Requires an even absolute start, so that the aligned words pair the same bytes as the big-endian words.
 */
function wordwiseSum(buf: Uint8Array, offset: number, length: number, initial: number): number {
  const abs = buf.byteOffset + offset;
  const end = offset + length;
  // Leading 2 bytes when the start is 2 mod 4, so the word loop starts 4-aligned.
  const lead = abs & 2;
  const words = (length - lead) >>> 2;
  const body = offset + lead;
  const view = wordView(buf.buffer);
  const first = (buf.byteOffset + body) >>> 2;
  let native = 0;
  for (let k = first, last = first + words; k < last; k++) {
    const w = view[k] as number;
    native += (w & 0xffff) + (w >>> 16);
  }
  let n = foldSum(native);
  if (LITTLE_ENDIAN) n = ((n & 0xff) << 8) | (n >>> 8);
  let sum = initial + n;
  if (lead !== 0) sum += ((buf[offset] as number) << 8) | (buf[offset + 1] as number);
  return bytewiseSum(buf, body + words * 4, end, sum);
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
