import { describe, expect, it } from "vitest";
import { copyBytes, OWN_BUFFER_BYTES, RunPool } from "./run-pool.js";

describe("RunPool", () => {
  it("hands out word-aligned regions that never overlap, across slab boundaries", () => {
    const pool = new RunPool();
    const taken = Array.from({ length: 400 }, (_, i) => pool.take((i * 37) % 600));
    for (const [i, s] of taken.entries()) {
      expect(s.bytes.length).toBe((i * 37) % 600);
      expect(s.bytes.byteOffset % 8).toBe(0);
      expect(s.word * 4).toBe(s.bytes.byteOffset);
      expect(s.words.buffer).toBe(s.bytes.buffer);
      s.bytes.fill(i & 0xff);
    }
    // Writing every region left the others intact: no two share a byte.
    for (const [i, s] of taken.entries()) expect(s.bytes.every((v) => v === (i & 0xff))).toBe(true);
  });

  it("gives large runs a buffer of their own", () => {
    const pool = new RunPool();
    const small = pool.take(100);
    const big = pool.take(OWN_BUFFER_BYTES);
    expect(big.bytes.buffer).not.toBe(small.bytes.buffer);
    expect(big.bytes.byteOffset).toBe(0);
    expect(big.bytes.buffer.byteLength).toBeGreaterThanOrEqual(OWN_BUFFER_BYTES);
  });
});

describe("copyBytes", () => {
  it("copies into pooled memory, keeping the element type, never aliasing the source", () => {
    const u = Uint8Array.from([1, 2, 255]);
    const cu = copyBytes(u);
    expect(cu).toBeInstanceOf(Uint8Array);
    expect([...cu]).toEqual([1, 2, 255]);
    u[0] = 9;
    expect(cu[0]).toBe(1);
    const i = Int8Array.from([-1, 5, -128]);
    const ci = copyBytes(i.subarray(1));
    expect(ci).toBeInstanceOf(Int8Array);
    expect([...ci]).toEqual([5, -128]);
    expect(ci.buffer).not.toBe(i.buffer);
  });
});
