/**
 * Every transport's workloads, for real (workers, shared memory, stubs), with tiny iteration counts:
 * checks the shape of what comes out, never the timings.
 */
import { describe, expect, it } from "vitest";
import { TINY_PLAN } from "../harness/plan.js";
import { runAll } from "../harness/runner.js";
import { silentProgress } from "../report/progress.js";
import { THROUGHPUT_PAYLOADS, TRANSPORTS, type TransportName } from "../results.js";
import { loadStubs } from "../stubs/load-stubs.js";
import { FACTORIES } from "./factories.js";
import { openStubSuite } from "./stubs.js";

/** Tests each transport has no form of (the table shows these as skipped, with the reason). */
const NOT_APPLICABLE: Partial<Record<TransportName, string>> = { comlink: "pingpong" };

/** Suites whose round trips have the paired floor (a stub worker that also echoes the raw ping-pong). */
const PAIRED: ReadonlySet<TransportName> = new Set(["urpc", "port"]);

const stubsReady = !("unavailable" in (await loadStubs()));

describe.each(TRANSPORTS)("%s", (transport) => {
  const isStub = transport === "urpc" || transport === "lrpc" || transport === "port";

  it(
    isStub && !stubsReady ? "is skipped with a reason while the stubs are missing" : "measures every test",
    async () => {
      const { results, skipped, failures } = await runAll([transport], FACTORIES, TINY_PLAN, silentProgress);
      expect(failures.map((f) => `${f.test} ${f.payload_bytes}: ${f.error}`)).toEqual([]);
      if (isStub && !stubsReady) {
        expect(results).toEqual([]);
        expect(skipped).toHaveLength(2 + THROUGHPUT_PAYLOADS.length);
        expect(skipped[0]?.reason).toMatch(/stubs|runtime/);
        return;
      }
      const missing = NOT_APPLICABLE[transport];
      expect(skipped.map((s) => s.test)).toEqual(missing === undefined ? [] : [missing]);
      const expected = [
        ...(["pingpong", "rpc"] as const).filter((t) => t !== missing).map((t) => `${t} 8`),
        ...THROUGHPUT_PAYLOADS.map((p) => `throughput ${p}`),
      ];
      expect(results.map((r) => `${r.test} ${r.payload_bytes}`)).toEqual(expected);
      for (const r of results) {
        expect(r.transport).toBe(transport);
        expect(Number.isFinite(r.median_ns) && r.median_ns > 0).toBe(true);
        expect(r.p99_ns).toBeGreaterThanOrEqual(r.median_ns);
        if (r.test === "throughput") {
          expect(r.msgs_per_s).toBeCloseTo(1e9 / r.median_ns);
          expect(r.samples).toBe(TINY_PLAN.throughputRuns);
        } else {
          expect(r.msgs_per_s).toBeNull();
          expect(r.samples).toBe(TINY_PLAN.roundTrips / TINY_PLAN.batch);
        }
        if (r.test !== "throughput" && PAIRED.has(transport)) {
          // The paired floor: measured between main and this suite's own worker, even without raw-sab.
          expect(r.floor_median_ns).toBeGreaterThan(0);
          expect(r.floor_ratio).toBeGreaterThan(0);
        } else {
          expect(r.floor_ratio).toBeNull();
        }
        if (r.test === "throughput" && PAIRED.has(transport)) {
          // The paired throughput floor: ring runs with this suite's own worker, even without raw-sab.
          expect(r.floor_msgs_per_s).toBeGreaterThan(0);
          expect(r.floor_rate_ratio).toBeGreaterThan(0);
        } else {
          expect(r.floor_rate_ratio).toBeNull();
        }
      }
    },
  );
});

describe("the floor", () => {
  it("runs first and is measured again before every other transport's rows", async () => {
    const { results, failures } = await runAll(
      ["postmessage", "raw-sab"],
      FACTORIES,
      TINY_PLAN,
      silentProgress,
    );
    expect(failures).toEqual([]);
    expect([...new Set(results.map((r) => r.transport))]).toEqual(["raw-sab", "postmessage"]);
    for (const r of results) {
      if (r.transport === "raw-sab") {
        expect([r.floor_median_ns, r.floor_msgs_per_s]).toEqual([null, null]);
      } else if (r.test === "throughput") {
        expect(r.floor_msgs_per_s).toBeGreaterThan(0);
        expect(r.floor_median_ns).toBeNull();
      } else {
        expect(r.floor_median_ns).toBeGreaterThan(0);
        expect(r.floor_msgs_per_s).toBeNull();
      }
      expect(r.floor_ratio).toBeNull();
      expect(r.floor_rate_ratio).toBeNull();
    }
  });
});

describe.skipIf(!stubsReady)("the paired floor", () => {
  it("is echoed by the urpc stub worker, in turns with stub round trips on the same threads", async () => {
    const opened = await openStubSuite("urpc", 10_000);
    if ("unavailable" in opened) throw new Error(opened.unavailable);
    try {
      expect(opened.floorPingpong).toBeTypeOf("function");
      const floor = opened.floorPingpong?.bind(opened);
      if (floor === undefined) return;
      const first = await floor(2000, 16);
      expect(first).toHaveLength(125);
      expect(first.every((ns) => Number.isFinite(ns) && ns > 0)).toBe(true);
      // The stubs still work after the worker's synchronous echo loop, and the floor after them.
      expect(await opened.pingpong(160, 16)).toHaveLength(10);
      expect(await opened.rpc(160, 16)).toHaveLength(10);
      expect(await floor(2000, 16)).toHaveLength(125);
      // The rpc's floor, each round trip awaited, on the same worker and sequences.
      const awaited = opened.floorRpc?.bind(opened);
      expect(awaited).toBeTypeOf("function");
      if (awaited === undefined) return;
      expect((await awaited(2000, 16)).every((ns) => Number.isFinite(ns) && ns > 0)).toBe(true);
      expect(await floor(160, 16)).toHaveLength(10);
    } finally {
      await opened.close();
    }
  });

  it("drains the raw ring in the urpc stub worker, in turns with stub throughput runs", async () => {
    const opened = await openStubSuite("urpc", 10_000);
    if ("unavailable" in opened) throw new Error(opened.unavailable);
    try {
      expect(opened.floorThroughput).toBeTypeOf("function");
      const floor = opened.floorThroughput?.bind(opened);
      if (floor === undefined) return;
      // Each resolves only after the worker's sum of every payload word read matched what main wrote.
      expect(await floor(64, 2000)).toBeGreaterThan(0);
      expect(await opened.throughput(64, 2000)).toBeGreaterThan(0);
      // The ring's sequences continue from the first run (and a different line count per message).
      expect(await floor(64, 2000)).toBeGreaterThan(0);
      expect(await floor(2048, 100)).toBeGreaterThan(0);
      expect(await opened.throughput(64, 160)).toBeGreaterThan(0);
      // The ping-pong floor shares the memory with the ring: both still work.
      expect(await opened.floorPingpong?.(160, 16)).toHaveLength(10);
      expect(await floor(8, 2000)).toBeGreaterThan(0);
    } finally {
      await opened.close();
    }
  });

  it("is not offered by lrpc (no worker: both ends share one thread)", async () => {
    const opened = await openStubSuite("lrpc", 10_000);
    if ("unavailable" in opened) throw new Error(opened.unavailable);
    try {
      expect(opened.floorPingpong).toBeUndefined();
      expect(opened.floorThroughput).toBeUndefined();
    } finally {
      await opened.close();
    }
  });
});
