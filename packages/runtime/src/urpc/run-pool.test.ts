import { describe, expect, it } from "vitest";
import { OWN_BUFFER_BYTES, RunPool } from "./run-pool.js";

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
