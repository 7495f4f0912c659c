import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checksum, foldSum, onesSum, pseudoHeaderSum } from "./checksum.js";
import { hex } from "./hex.js";

/** A reference implementation, one 16-bit word at a time with an immediate fold. */
function reference(bytes: number[], initial = 0): number {
  let sum = initial;
  for (let i = 0; i < bytes.length; i += 2) {
    sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return ~sum & 0xffff;
}

describe("checksum", () => {
  it("matches the RFC 1071 worked example", () => {
    // RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, checksum 220d.
    const b = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
    expect(onesSum(b, 0, b.length)).toBe(0xddf2);
    expect(checksum(b, 0, b.length)).toBe(0x220d);
  });

  it("checksums a real IPv4 header to the stored value and verifies to zero", () => {
    // 45 00 00 73 00 00 40 00 40 11 [b8 61] c0 a8 00 01 c0 a8 00 c7 (Wikipedia's example header).
    const h = hex("45 00 00 73 00 00 40 00 40 11 00 00 c0 a8 00 01 c0 a8 00 c7");
    expect(checksum(h, 0, h.length)).toBe(0xb861);
    h[10] = 0xb8;
    h[11] = 0x61;
    expect(checksum(h, 0, h.length)).toBe(0);
  });

  it("pads an odd trailing byte with zero and honours offset and length", () => {
    const b = Uint8Array.of(0xff, 0x12, 0x34, 0x56, 0xff);
    expect(checksum(b, 1, 3)).toBe(~(0x1234 + 0x5600) & 0xffff);
  });

  it("agrees with a word-at-a-time reference for any bytes and initial sum", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 }),
        fc.integer({ min: 0, max: 0xffff }),
        (bytes, initial) => {
          expect(checksum(Uint8Array.from(bytes), 0, bytes.length, initial)).toBe(reference(bytes, initial));
        },
      ),
    );
  });

  it("folds large unfolded sums without losing carries", () => {
    expect(foldSum(0x1_0000)).toBe(1);
    expect(foldSum(0xffff_ffff)).toBe(0xffff);
    expect(foldSum(2 ** 40 + 5)).toBe(foldSum(foldSum(2 ** 40) + 5));
  });
});

describe("pseudoHeaderSum", () => {
  it("verifies a captured UDP datagram (10.0.0.1:1234 -> 10.0.0.2:5678, payload 'hi')", () => {
    // UDP header: 04d2 162e 000a [csum], then 'h' 'i'.
    const src = 0x0a000001;
    const dst = 0x0a000002;
    const udp = Uint8Array.of(0x04, 0xd2, 0x16, 0x2e, 0x00, 0x0a, 0x00, 0x00, 0x68, 0x69);
    const ph = pseudoHeaderSum(src, dst, 17, udp.length);
    // By hand: 0a00+0001+0a00+0002+0011+000a = 0x141e; + 04d2+162e+000a+6869 = 0x9791 total.
    expect(ph).toBe(0x141e);
    const c = checksum(udp, 0, udp.length, ph);
    expect(c).toBe(~0x9791 & 0xffff);
    udp[6] = c >>> 8;
    udp[7] = c & 0xff;
    expect(checksum(udp, 0, udp.length, ph)).toBe(0);
  });

  it("treats addresses as unsigned (high bit set)", () => {
    expect(pseudoHeaderSum(0xc0a80001, 0xffffffff, 6, 20)).toBe(
      foldSum(0xc0a8 + 0x0001 + 0xffff + 0xffff + 6 + 20),
    );
  });
});

describe("word-wise fast path", () => {
  it("agrees with the reference at every alignment and length, in a larger buffer", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 300, maxLength: 300 }),
        fc.nat({ max: 40 }),
        fc.nat({ max: 250 }),
        fc.integer({ min: 0, max: 0xffff }),
        (bytes, start, len, initial) => {
          const view = bytes.subarray(start % 7);
          const off = start % 5;
          const n = Math.min(len, view.length - off);
          const expected = reference(Array.from(view.subarray(off, off + n)), initial);
          expect(checksum(view, off, n, initial)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
