import { PROTOCOLS, pruneTree, RouteTable, starTree, treeCores, treeDepth } from "@shoal/agreement";
import { describe, expect, it } from "vitest";
import { isShootdownError } from "../src/errors.js";
import { routesFromSkb, topologyFromSkb } from "../src/routes/skb-routes.js";
import { amd8x4, firstCores } from "./skb-fixture.js";

describe("routes from the SKB (amd-8x4)", () => {
  it("knows 32 cores on 8 packages", async () => {
    const topo = topologyFromSkb(await amd8x4());
    expect(topo.cores).toHaveLength(32);
    expect(new Set(topo.packageOf.values()).size).toBe(8);
  });

  it("gives every protocol a tree per source reaching each core once", async () => {
    const e = await amd8x4();
    for (const p of PROTOCOLS) {
      const t = routesFromSkb(e, p);
      for (const root of [0, 5, 17, 31]) {
        const cores = treeCores(t.tree(root));
        expect(cores[0]).toBe(root);
        expect([...cores].sort((a, b) => a - b)).toEqual(firstCores(32));
      }
    }
  });

  it("builds the multicasts through one aggregation core per package", async () => {
    const e = await amd8x4();
    for (const p of ["multicast", "numa_multicast"] as const) {
      const t = routesFromSkb(e, p).tree(9);
      expect(treeDepth(t)).toBe(2);
      const aggs = t.children.filter((k) => k.children.length > 0);
      expect(aggs).toHaveLength(7);
      for (const a of aggs) {
        const pkg = Math.floor(a.core / 4);
        expect(a.children.map((k) => Math.floor(k.core / 4))).toEqual([pkg, pkg, pkg]);
      }
    }
  });

  it("sends NUMA-aware multicast to the farthest nodes first, buffers on the receiver's node", async () => {
    const e = await amd8x4();
    const t = routesFromSkb(e, "numa_multicast").tree(0);
    // Node 0's farthest nodes on Figure 2's links are 6 and 7 (three hops).
    expect(t.children.slice(0, 2).map((k) => Math.floor(k.core / 4))).toEqual([6, 7]);
    for (const a of t.children) expect(a.bufferNode).toBe(Math.floor(a.core / 4));
    const plain = routesFromSkb(e, "multicast").tree(0);
    expect(plain.children.slice(0, 2).map((k) => k.core)).toEqual([4, 8]);
  });

  it("prunes to the first N cores: one level within a package, two once a second package has two cores", async () => {
    const e = await amd8x4();
    expect(treeDepth(routesFromSkb(e, "numa_multicast", firstCores(4)).tree(0))).toBe(1);
    expect(treeDepth(routesFromSkb(e, "numa_multicast", firstCores(6)).tree(0))).toBe(2);
    expect(routesFromSkb(e, "unicast", firstCores(6)).children(0, 0)).toEqual([1, 2, 3, 4, 5]);
  });

  it("refuses cores the SKB does not know", async () => {
    const e = await amd8x4();
    expect(() => routesFromSkb(e, "unicast", [0, 40])).toThrow(/core 40/);
  });
});

describe("RouteTable", () => {
  it("rejects a tree that misses a core or reaches one twice", () => {
    const bad = new Map([
      [0, { core: 0, children: [{ core: 1, children: [{ core: 1, children: [] }] }] }],
      [1, starTree(1, [0, 1])],
    ]);
    let err: unknown;
    try {
      new RouteTable("multicast", [0, 1], bad);
    } catch (e) {
      err = e;
    }
    expect(isShootdownError(err, "BAD_ROUTES")).toBe(true);
  });

  it("splices pruned interior cores' children into their place", () => {
    const t = {
      core: 0,
      children: [
        { core: 4, children: [{ core: 5, children: [] }] },
        { core: 1, children: [] },
      ],
    };
    expect(pruneTree(t, new Set([0, 1, 5]))).toEqual({
      core: 0,
      children: [
        { core: 5, children: [] },
        { core: 1, children: [] },
      ],
    });
  });
});
