import { describe, expect, it } from "vitest";
import {
  chunkBatches,
  FLOOR_PAIRS,
  MIN_CHUNK_BATCHES,
  pairedFloorRatio,
  pairedRateRatio,
} from "./paired-floor.js";

describe("chunkBatches", () => {
  it("splits the batches into at most FLOOR_PAIRS even chunks that add up", () => {
    const quick = chunkBatches(2500); // --quick: 40 000 round trips in batches of 16
    expect(quick).toHaveLength(FLOOR_PAIRS);
    expect(quick.reduce((a, n) => a + n, 0)).toBe(2500);
    expect(Math.max(...quick) - Math.min(...quick)).toBeLessThanOrEqual(1);
    expect(chunkBatches(FLOOR_PAIRS * 400)).toEqual(new Array(FLOOR_PAIRS).fill(400));
  });

  it("keeps chunks at least MIN_CHUNK_BATCHES long, and one chunk when there is less", () => {
    const few = chunkBatches(100); // MIN_SAMPLES
    expect(few).toHaveLength(Math.floor(100 / MIN_CHUNK_BATCHES));
    expect(Math.min(...few)).toBeGreaterThanOrEqual(MIN_CHUNK_BATCHES);
    expect(few.reduce((a, n) => a + n, 0)).toBe(100);
    expect(chunkBatches(16)).toEqual([8, 8]);
    expect(chunkBatches(3)).toEqual([3]);
    expect(() => chunkBatches(0)).toThrow(RangeError);
    expect(() => chunkBatches(2.5)).toThrow(RangeError);
  });
});

describe("pairedFloorRatio", () => {
  it("is the median of per-pair ratios, so a mode jump between pairs does not move it", () => {
    // Fast mode (100 ns floor, 150 ns test) and slow mode (500 / 750 ns): every pair says 1.5×, while
    // the median test over the median floor could be anything from 0.3× to 7.5×.
    const floor = [100, 100, 500, 500, 100, 500, 500];
    const test = [150, 150, 750, 750, 150, 750, 750];
    expect(pairedFloorRatio(floor, test)).toBeCloseTo(1.5);
  });

  it("ignores a minority of pairs whose mode changed mid-pair", () => {
    const floor = [100, 100, 100, 500, 100];
    const test = [200, 210, 190, 200, 2500]; // pair 3: floor slow, test fast; pair 4: the reverse
    expect(pairedFloorRatio(floor, test)).toBe(2);
  });

  it("takes the nearest-rank median (the lower middle of an even count)", () => {
    expect(pairedFloorRatio([1, 1, 1, 1], [4, 1, 3, 2])).toBe(2);
    expect(pairedFloorRatio(new Float64Array([200]), new Float64Array([300]))).toBe(1.5);
  });

  it("rejects mismatched, empty or zero floors", () => {
    expect(() => pairedFloorRatio([], [])).toThrow(RangeError);
    expect(() => pairedFloorRatio([1, 2], [1])).toThrow(RangeError);
    expect(() => pairedFloorRatio([0], [1])).toThrow(RangeError);
  });
});

describe("pairedRateRatio", () => {
  it("is the median over run pairs of test rate ÷ floor rate, from times per message", () => {
    // Fast mode (50 ns floor, 100 ns stub) and slow mode (200 / 400 ns): every pair says 50% of rate,
    // while the median stub rate over the best floor rate would say 25%.
    const floor = [50, 200, 200, 50, 200, 50, 200];
    const test = [100, 400, 400, 100, 400, 100, 400];
    expect(pairedRateRatio(floor, test)).toBeCloseTo(0.5);
  });

  it("ignores a minority of pairs whose mode changed mid-pair, and takes the lower middle of an even count", () => {
    const floor = [100, 100, 100, 400, 100];
    const test = [125, 125, 125, 100, 500]; // pair 3: 400% of rate, pair 4: 20%
    expect(pairedRateRatio(floor, test)).toBe(0.8);
    // Rates 1/4, 1/2, 3/4 and 1 of the floor: the nearest-rank median is the lower middle, 1/2.
    expect(pairedRateRatio([10, 10, 10, 10], [40, 20, 10, 40 / 3])).toBe(0.5);
  });

  it("rejects mismatched, empty or zero runs", () => {
    expect(() => pairedRateRatio([], [])).toThrow(RangeError);
    expect(() => pairedRateRatio([1, 2], [1])).toThrow(RangeError);
    expect(() => pairedRateRatio([1], [0])).toThrow(RangeError);
  });
});
