import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { boardNames, loadBoard } from "../src/boards/boards.js";
import { loadHost } from "../src/discovery/load-host.js";
import { SkbEngine } from "../src/engine/engine.js";
import { isSkbError } from "../src/errors.js";
import { assertMeasuredRtts } from "../src/facts/measured.js";
import {
  type MulticastTree,
  multicastAllRoots,
  multicastRoutes,
  multicastTree,
  type NumaMulticastTree,
  numaMulticastTree,
  treeCores,
} from "../src/queries/multicast.js";

// Hand-written trees: a number is a leaf, [core, [children]] an inner node.
type Spec = number | readonly [number, readonly Spec[]];
const t = (s: Spec): MulticastTree =>
  typeof s === "number" ? { core: s, children: [] } : { core: s[0], children: s[1].map(t) };
const n = (s: Spec, node: (c: number) => number): NumaMulticastTree =>
  typeof s === "number"
    ? { core: s, bufferNode: node(s), children: [] }
    : { core: s[0], bufferNode: node(s[0]), children: s[1].map((k) => n(k, node)) };
const pkg = (agg: number, ...leaves: number[]): Spec => [agg, leaves];

let engine: SkbEngine;
beforeAll(async () => {
  engine = await SkbEngine.start();
}, 60_000);

describe("the multicast tree of §5.1 on each board", () => {
  it("amd-2x2", () => {
    loadBoard(engine, "amd-2x2");
    // Packages {0,1} and {2,3}, one HT hop apart (380 ns); the two cores of a package share no cache
    // (320 ns). From 0: package 1's aggregation core is 2 (nearest, lowest id among equals), which
    // forwards to 3; then 0's own package: 1.
    expect(multicastTree(engine, 0)).toEqual(t([0, [pkg(2, 3), 1]]));
    // From 3: package 0 via 0 (forwarding to 1), then 3's own 2.
    expect(multicastTree(engine, 3)).toEqual(t([3, [pkg(0, 1), 2]]));
  });

  it("intel-2x4", () => {
    loadBoard(engine, "intel-2x4");
    // One node behind the FSB; L2 shared by pairs {0,1} {2,3} {4,5} {6,7} (140 ns), everything else
    // 430 ns. From 0: package 1 via 4 (all equal, lowest id); 4 sends to 6 and 7 (430) before its L2
    // partner 5 (140). Then 0's own package, slowest first: 2, 3, then 1.
    expect(multicastTree(engine, 0)).toEqual(t([0, [pkg(4, 6, 7, 5), 2, 3, 1]]));
    // From 5: package 0 via 0, which sends to 2, 3, then 1; then 6, 7 (430) and 4 (its L2 partner).
    expect(multicastTree(engine, 5)).toEqual(t([5, [pkg(0, 2, 3, 1), 6, 7, 4]]));
  });

  it("amd-4x4", () => {
    loadBoard(engine, "amd-4x4");
    // Nodes in a square 0-1, 0-2, 1-3, 2-3: from node 0, node 3 is two hops (545 + 15 ns), 1 and 2
    // one hop (545 ns). Inside a package every core shares the L3 (450 ns): leaves in id order.
    expect(multicastTree(engine, 0)).toEqual(
      t([0, [pkg(12, 13, 14, 15), pkg(4, 5, 6, 7), pkg(8, 9, 10, 11), 1, 2, 3]]),
    );
    // From core 5 (node 1): node 2 is two hops; then nodes 0 and 3 (one hop), then 4, 6, 7.
    expect(multicastTree(engine, 5)).toEqual(
      t([5, [pkg(8, 9, 10, 11), pkg(0, 1, 2, 3), pkg(12, 13, 14, 15), 4, 6, 7]]),
    );
  });

  it("amd-8x4", () => {
    loadBoard(engine, "amd-8x4");
    // Links 0-1 0-2 1-3 2-4 2-5 3-4 3-5 4-6 5-7 6-7. From node 0: 1 and 2 at one hop (490 ns);
    // 3 (via 1), 4 and 5 (via 2) at two (510 ns); 6 (via 4) and 7 (via 5) at three (530 ns).
    // Farthest packages first, ties by package id; each package through its lowest core.
    expect(multicastTree(engine, 0)).toEqual(
      t([
        0,
        [
          pkg(24, 25, 26, 27),
          pkg(28, 29, 30, 31),
          pkg(12, 13, 14, 15),
          pkg(16, 17, 18, 19),
          pkg(20, 21, 22, 23),
          pkg(4, 5, 6, 7),
          pkg(8, 9, 10, 11),
          1,
          2,
          3,
        ],
      ]),
    );
    // From core 18 (node 4): neighbours 2, 3, 6 (one hop); 0 (via 2), 5 (via 2 or 3), 1 (via 3),
    // 7 (via 6) at two hops; nothing is three hops away. Two-hop packages 0 1 5 7 first, then 2 3 6.
    expect(multicastTree(engine, 18)).toEqual(
      t([
        18,
        [
          pkg(0, 1, 2, 3),
          pkg(4, 5, 6, 7),
          pkg(20, 21, 22, 23),
          pkg(28, 29, 30, 31),
          pkg(8, 9, 10, 11),
          pkg(12, 13, 14, 15),
          pkg(24, 25, 26, 27),
          16,
          17,
          19,
        ],
      ]),
    );
  });

  it("reaches every core exactly once from every root of every board", () => {
    for (const name of boardNames()) {
      loadBoard(engine, name);
      const cores = engine.once("cores(Cs)")?.Cs as number[];
      const all = multicastAllRoots(engine);
      expect([...all.keys()]).toEqual(cores);
      for (const [root, tree] of all) {
        expect(tree.core).toBe(root);
        expect([...treeCores(tree)].sort((a, b) => a - b)).toEqual(cores);
        expect(tree).toEqual(multicastTree(engine, root));
      }
    }
  });

  it("follows a measured round trip asserted after loading (the prepared tables are rebuilt)", () => {
    loadBoard(engine, "amd-2x2");
    expect(multicastTree(engine, 0)).toEqual(t([0, [pkg(2, 3), 1]]));
    // Measured: 0 reaches 3 faster than 2, and 3 reaches 2 slowly; 3 becomes the aggregation core.
    engine.query(
      "retract(message_rtt(0, 3, _, _, _, _)), assertz(message_rtt(0, 3, 300, 4, 290, 320))," +
        "retract(message_rtt(0, 1, _, _, _, _)), assertz(message_rtt(0, 1, 900, 4, 890, 920))",
    );
    expect(multicastTree(engine, 0)).toEqual(t([0, [pkg(3, 2), 1]]));
    // And a new core asserted later is in the tree.
    engine.query("assertz(cpu_thread(4, 0, 2, 0)), assertz(cpu_node(4, 0)), assertz(core(4, 4))");
    expect(treeCores(multicastTree(engine, 2)).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("takes measured rows through assertMeasuredRtts, and refuses nonsense", () => {
    loadBoard(engine, "amd-2x2");
    // Measured: 0 reaches 1 slowly (a busy host thread), so the root's own package is still last but
    // package 1 is entered through 3, which 0 reaches fastest.
    const n = assertMeasuredRtts(engine, [
      { from: 0, to: 3, avgNs: 200, varNs2: 10, minNs: 190, maxNs: 260 },
      { from: 0, to: 2, avgNs: 700, varNs2: 10, minNs: 690, maxNs: 760 },
    ]);
    expect(n).toBe(2);
    expect(multicastTree(engine, 0)).toEqual(t([0, [pkg(3, 2), 1]]));
    expect(engine.once("rtt_origin(O)")?.O).toBe("measured");
    expect(engine.once("aggregate_all(count, message_rtt(0, 3, _, _, _, _), N)")?.N).toBe(1);
    expect(() =>
      assertMeasuredRtts(engine, [{ from: 1, to: 1, avgNs: 1, varNs2: 0, minNs: 1, maxNs: 1 }]),
    ).toThrow(/between two cores/);
  });

  it("gives the routes breadth-first in send order", () => {
    loadBoard(engine, "amd-2x2");
    expect(multicastRoutes(engine, 0)).toEqual([
      [0, 2],
      [0, 1],
      [2, 3],
    ]);
  });
});

describe("the NUMA-aware tree", () => {
  it("on amd-4x4 has one aggregation core per node and buffers on the receiver's node", () => {
    loadBoard(engine, "amd-4x4");
    // One node per package: the same shape as the package tree, each edge's buffer on node core/4.
    expect(numaMulticastTree(engine, 0)).toEqual(
      n([0, [pkg(12, 13, 14, 15), pkg(4, 5, 6, 7), pkg(8, 9, 10, 11), 1, 2, 3]], (c) => Math.floor(c / 4)),
    );
  });

  it("on intel-2x4 (one node) sends to every core directly, buffers on node 0", () => {
    loadBoard(engine, "intel-2x4");
    // All eight cores are on node 0: no aggregation; slowest first (430 ns), the L2 partner last.
    expect(numaMulticastTree(engine, 0)).toEqual(n([0, [2, 3, 4, 5, 6, 7, 1]], () => 0));
  });
});

describe("on discovered facts", () => {
  it("numa-2x2x2: packages aggregate, SMT siblings are sent to last", () => {
    loadHost(engine, { root: join(import.meta.dirname, "fixtures", "sys", "numa-2x2x2") });
    // Cores 0..7 are on APICs 0 2 4 6 1 3 5 7: package 0 = cores 0 1 4 5, package 1 = 2 3 6 7.
    // Default model: SMT 150, shared L3 300, remote 700. From 0: package 1 via 2 (lowest of equals),
    // which sends to 3 and 7 (L3, 300) before its SMT sibling 6 (150); then 1 and 5 (L3) and 0's
    // sibling 4.
    expect(multicastTree(engine, 0)).toEqual(t([0, [pkg(2, 3, 7, 6), 1, 5, 4]]));
    // Two nodes = the two packages: the NUMA tree has the same shape, buffers on the receivers' nodes.
    const nodeOf = (c: number) => ([0, 1, 4, 5].includes(c) ? 0 : 1);
    expect(numaMulticastTree(engine, 0)).toEqual(n([0, [pkg(2, 3, 7, 6), 1, 5, 4]], nodeOf));
  });
});

describe("errors", () => {
  it("a root that is not a core, or not a core id, is BAD_ARGUMENT", () => {
    loadBoard(engine, "amd-2x2");
    for (const root of [4, -1, 1.5]) {
      let caught: unknown;
      try {
        multicastTree(engine, root);
      } catch (e) {
        caught = e;
      }
      expect(isSkbError(caught, "BAD_ARGUMENT")).toBe(true);
    }
    expect(() => numaMulticastTree(engine, 99)).toThrow(/no core 99/);
    expect(() => multicastRoutes(engine, 99)).toThrow(/no core 99/);
  });

  it("an unknown board is NO_SUCH_BOARD and names the boards there are", () => {
    let caught: unknown;
    try {
      loadBoard(engine, "amd-16x16");
    } catch (e) {
      caught = e;
    }
    expect(isSkbError(caught, "NO_SUCH_BOARD")).toBe(true);
    expect(String((caught as Error).message)).toContain("amd-8x4");
    expect(() => loadBoard(engine, "../prolog/runtime")).toThrow(/no board named/);
  });
});
