import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { type Executor, isThreadsError, SabMemory, staticRange, Team, workerExecutor } from "../src/index.js";

const regions = new URL("./workers/regions.mjs", import.meta.url);
let team: Team | undefined;
afterEach(async () => {
  await team?.close();
  team = undefined;
});

describe("staticRange", () => {
  it("partitions [lo, hi) into contiguous, balanced, covering shares", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 64 }),
        (lo, len, n) => {
          let next = lo;
          const sizes: number[] = [];
          for (let t = 0; t < n; t++) {
            const [a, b] = staticRange(lo, lo + len, t, n);
            expect(a).toBe(next);
            next = b;
            sizes.push(b - a);
          }
          expect(next).toBe(lo + len);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe("Team (worker_threads executor)", () => {
  it("claims every iteration exactly once under the dynamic schedule, loop after loop", async () => {
    team = await Team.start({ threads: 3 });
    const n = 10_007;
    const mem = SabMemory.allocate(4 * n);
    const mine = await team.run<number>(regions, "dynamicOnce", { n, chunk: 7, memory: mem.share() });
    expect(mine.reduce((a, b) => a + b, 0)).toBe(n);
    for (let i = 0; i < n; i++) expect(mem.load32(4 * i)).toBe(3);
  });

  it("all-reduces to the same sum on every member, 50 times in a row", async () => {
    team = await Team.start({ threads: 4 });
    const got = await team.run<number[]>(regions, "sums", null);
    const want = Array.from({ length: 50 }, (_, r) => 6 + 4 * r);
    for (const g of got) expect(g).toEqual(want);
  });

  it("reports a member's error to the caller and closes the team", async () => {
    team = await Team.start({ threads: 2 });
    const err = await team.run(regions, "throwsInMember1", null).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isThreadsError(err, "THREAD_FAILED")).toBe(true);
    expect(String(err)).toMatch(/member 1.*RangeError.*gave up/);
    await expect(team.run(regions, "sums", null)).rejects.toThrow(/TEAM_CLOSED/);
  });

  it("refuses a bad team size and a missing export", async () => {
    await expect(Team.start({ threads: 0 })).rejects.toThrow(/BAD_ARGUMENT/);
    team = await Team.start({ threads: 1 });
    await expect(team.run(regions, "noSuchRegion", null)).rejects.toThrow(/ENTRY_NOT_FOUND/);
  });

  it("places members through the executor seam, round robin over the given cores", async () => {
    const placed: (number | undefined)[] = [];
    const recording: Executor = {
      start(entry, data, core) {
        placed.push(core);
        return workerExecutor.start(entry, data, core);
      },
    };
    team = await Team.start({ threads: 3, executor: recording, cores: [5, 7] });
    expect(placed).toEqual([5, 7, 5]);
    const got = await team.run<number[]>(regions, "sums", null);
    expect(got[2]?.[0]).toBe(3);
  });
});
