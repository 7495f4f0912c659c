import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadBoard } from "../src/boards/boards.js";
import { loadHost } from "../src/discovery/load-host.js";
import { SkbEngine } from "../src/engine/engine.js";
import { isSkbError, type SkbErrorCode } from "../src/errors.js";
import {
  nearestMemoryNode,
  nodesByDistance,
  placeDomains,
  selectTransport,
} from "../src/queries/placement.js";

const NUMA = join(import.meta.dirname, "fixtures", "sys", "numa-2x2x2");
let engine: SkbEngine;
beforeAll(async () => {
  engine = await SkbEngine.start();
}, 60_000);

function codeOf(f: () => unknown): SkbErrorCode | undefined {
  try {
    f();
  } catch (e) {
    if (isSkbError(e)) return e.code;
    throw e;
  }
  return undefined;
}
const cores = (policy: "compact" | "spread" | "cache", n: number) =>
  placeDomains(
    engine,
    policy,
    Array.from({ length: n }, (_, i) => `d${i}`),
  ).map((p) => p.core);

describe("nearest memory node", () => {
  it("amd-8x4: the core's own node, then nodes by SLIT distance (hops)", () => {
    loadBoard(engine, "amd-8x4");
    expect(nearestMemoryNode(engine, 5)).toBe(1);
    expect(nearestMemoryNode(engine, 31)).toBe(7);
    // Node 1: neighbours 0 and 3 (1 hop), then 2, 4, 5 (2 hops), then 6, 7 (3 hops); ties by id.
    expect(nodesByDistance(engine, 5)).toEqual([1, 0, 3, 2, 4, 5, 6, 7]);
    // Each node has 2 GiB: a request for more fits nowhere.
    expect(nearestMemoryNode(engine, 5, 2 * 1024 ** 3)).toBe(1);
    expect(nearestMemoryNode(engine, 5, 2 * 1024 ** 3 + 1)).toBeUndefined();
  });

  it("a node without memory sends its cores to the nearest node that has some", () => {
    loadBoard(engine, "amd-2x2");
    engine.query("retractall(node_memory(1, _)), assertz(node_memory(1, 0))");
    expect(nearestMemoryNode(engine, 2)).toBe(0);
    expect(nearestMemoryNode(engine, 0)).toBe(0);
  });

  it("discovered numa-2x2x2: cores on APICs of node 1 allocate from node 1", () => {
    loadHost(engine, { root: NUMA });
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((c) => nearestMemoryNode(engine, c))).toEqual([
      0, 0, 1, 1, 0, 0, 1, 1,
    ]);
    expect(nodesByDistance(engine, 2)).toEqual([1, 0]);
  });

  it("bad arguments are BAD_ARGUMENT", () => {
    loadBoard(engine, "amd-2x2");
    expect(codeOf(() => nearestMemoryNode(engine, -1))).toBe("BAD_ARGUMENT");
    expect(codeOf(() => nearestMemoryNode(engine, 0, -5))).toBe("BAD_ARGUMENT");
    expect(codeOf(() => nodesByDistance(engine, 17))).toBe("BAD_ARGUMENT");
    expect(nearestMemoryNode(engine, 17)).toBeUndefined();
  });
});

describe("placement", () => {
  it("amd-4x4: compact fills package 0, spread takes one core per package, cache keeps an L3", () => {
    loadBoard(engine, "amd-4x4");
    expect(cores("compact", 5)).toEqual([0, 1, 2, 3, 4]);
    expect(cores("spread", 6)).toEqual([0, 4, 8, 12, 1, 5]);
    // Three domains fit in one L3 (4 cores): the first package's.
    expect(cores("cache", 3)).toEqual([0, 1, 2]);
    // No cache holds six: L3 groups in order.
    expect(cores("cache", 6)).toEqual([0, 1, 2, 3, 4, 5]);
    // More domains than cores wrap around.
    expect(cores("compact", 18).slice(15)).toEqual([15, 0, 1]);
  });

  it("intel-2x4: cache puts two domains on an L2 pair", () => {
    loadBoard(engine, "intel-2x4");
    expect(cores("cache", 2)).toEqual([0, 1]);
    expect(cores("spread", 3)).toEqual([0, 4, 1]);
  });

  it("discovered numa-2x2x2: SMT siblings together in compact, apart in spread, L1 pair in cache", () => {
    loadHost(engine, { root: NUMA });
    // Cores on APICs 0 2 4 6 1 3 5 7; compact orders by (package, core, thread): APICs 0 1 2 3 | 4 5 6 7.
    expect(cores("compact", 8)).toEqual([0, 4, 1, 5, 2, 6, 3, 7]);
    // spread: first threads of each package's cores before any SMT sibling.
    expect(cores("spread", 8)).toEqual([0, 2, 1, 3, 4, 6, 5, 7]);
    // Two domains share an L1 on SMT siblings; three need the L3 of package 0.
    expect(cores("cache", 2)).toEqual([0, 4]);
    expect(cores("cache", 3)).toEqual([0, 4, 1]);
  });

  it("names the domains in the answer, and refuses an unknown policy", () => {
    loadBoard(engine, "amd-2x2");
    expect(placeDomains(engine, "spread", ["net", "Fs Server"])).toEqual([
      { domain: "net", core: 0 },
      { domain: "Fs Server", core: 2 },
    ]);
    expect(placeDomains(engine, "compact", [])).toEqual([]);
    expect(codeOf(() => placeDomains(engine, "random" as "spread", ["a"]))).toBe("BAD_ARGUMENT");
  });
});

describe("transport selection", () => {
  it("amd-4x4: LRPC on one core, URPC elsewhere, with the relation and the round trip", () => {
    loadBoard(engine, "amd-4x4");
    expect(selectTransport(engine, 3, 3)).toMatchObject({
      transport: "lrpc",
      relation: { kind: "same_core" },
      rttNs: 0,
    });
    expect(selectTransport(engine, 0, 1)).toMatchObject({
      transport: "urpc",
      relation: { kind: "shared_cache", level: 3 },
      rttNs: 450,
    });
    // Node 0 to node 3 is two hops: 545 + 15.
    const far = selectTransport(engine, 0, 12);
    expect(far).toMatchObject({ transport: "urpc", relation: { kind: "remote", hops: 2 }, rttNs: 560 });
    expect(far.explanation).toContain("2 interconnect hops");
  });

  it("uses a measured round trip when one is asserted", () => {
    loadBoard(engine, "amd-2x2");
    engine.query(
      "retractall(message_rtt(0, 2, _, _, _, _)), assertz(message_rtt(0, 2, 1234, 5, 1200, 1300))",
    );
    expect(selectTransport(engine, 0, 2).rttNs).toBe(1234);
    expect(selectTransport(engine, 2, 0).rttNs).toBe(380);
  });

  it("discovered numa-2x2x2: SMT siblings and shared caches", () => {
    loadHost(engine, { root: NUMA });
    expect(selectTransport(engine, 0, 4).relation).toEqual({ kind: "smt_sibling" });
    expect(selectTransport(engine, 0, 1).relation).toEqual({ kind: "shared_cache", level: 3 });
    expect(selectTransport(engine, 0, 2).relation).toEqual({ kind: "remote", hops: 1 });
  });

  it("cores that are not in the facts are BAD_ARGUMENT", () => {
    loadBoard(engine, "amd-2x2");
    expect(codeOf(() => selectTransport(engine, 0, 9))).toBe("BAD_ARGUMENT");
    expect(codeOf(() => selectTransport(engine, Number.NaN, 0))).toBe("BAD_ARGUMENT");
  });
});
