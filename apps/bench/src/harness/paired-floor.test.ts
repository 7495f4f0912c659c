import { describe, expect, it } from "vitest";
import { chunkBatches, FLOOR_PAIRS, MIN_CHUNK_BATCHES, pairedFloorRatio } from "./paired-floor.js";

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
