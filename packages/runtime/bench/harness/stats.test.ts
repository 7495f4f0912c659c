import { describe, expect, it } from "vitest";
import { messagesFor, QUICK_PLAN } from "./plan.js";
import { quantileSorted, summarize } from "./stats.js";

describe("summarize", () => {
  it("takes nearest-rank median and p99 of unsorted samples without modifying them", () => {
    const samples = Float64Array.from({ length: 100 }, (_, i) => 100 - i); // 100 .. 1
    const s = summarize(samples);
    expect(s.median).toBe(50);
    expect(s.p99).toBe(99);
    expect(s.min).toBe(1);
    expect(s.count).toBe(100);
    expect(samples[0]).toBe(100);
  });

  it("reports only values that were measured", () => {
    const s = summarize([3, 1, 2]);
    expect([1, 2, 3]).toContain(s.median);
    expect(s.p99).toBe(3);
  });

  it("rejects an empty set and a bad quantile", () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => quantileSorted([1], 0)).toThrow(RangeError);
    expect(() => quantileSorted([1], 1.5)).toThrow(RangeError);
  });
});

describe("messagesFor", () => {
  it("keeps the count up to 256 bytes and the byte volume above, in multiples of 16", () => {
    expect(messagesFor(QUICK_PLAN, 8)).toBe(QUICK_PLAN.throughputMessages);
    expect(messagesFor(QUICK_PLAN, 256)).toBe(QUICK_PLAN.throughputMessages);
    const big = messagesFor(QUICK_PLAN, 2048);
    expect(big % 16).toBe(0);
    expect(Math.abs(big - QUICK_PLAN.throughputMessages / 8)).toBeLessThanOrEqual(16);
  });
});
