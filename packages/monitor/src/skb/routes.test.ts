// Reading the SKB's routes answer: every well-formed tree reads back as itself; anything else is a
// typed BAD_ANSWER, never a crash of the monitor.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSkbRoutesError } from "./errors.js";
import { childrenOf, parseRoutesAnswer, type RouteTree, treeCores } from "./routes.js";

const mcText = (t: RouteTree): string => `mc(${t.core},[${t.children.map(mcText).join(",")}])`;
const mcnText = (t: RouteTree): string =>
  `mcn(${t.core},${t.bufferNode ?? 0},[${t.children.map(mcnText).join(",")}])`;

const tree = (numa: boolean): fc.Arbitrary<RouteTree> =>
  fc.letrec<{ t: RouteTree }>((tie) => ({
    t: fc
      .record({
        core: fc.nat(255),
        node: fc.nat(7),
        children: fc.oneof(
          { depthSize: "small", withCrossShrink: true },
          fc.constant([]),
          fc.array(tie("t"), { maxLength: 3 }),
        ),
      })
      .map(({ core, node, children }) => (numa ? { core, bufferNode: node, children } : { core, children })),
  })).t;

describe("parseRoutesAnswer", () => {
  it("reads every tree the SKB can print back as the same tree", () => {
    fc.assert(
      fc.property(tree(false), tree(true), (t, n) => {
        const r = parseRoutesAnswer(`T = ${mcText(t)}, N = ${mcnText(n)}`);
        expect(r.multicast).toEqual(t);
        expect(r.numa).toEqual(n);
      }),
    );
  });

  it("reads the paper's amd-4x4 tree for core 0", () => {
    const t =
      "mc(0,[mc(12,[mc(13,[]),mc(14,[]),mc(15,[])]),mc(4,[mc(5,[]),mc(6,[]),mc(7,[])]),mc(8,[mc(9,[]),mc(10,[]),mc(11,[])]),mc(1,[]),mc(2,[]),mc(3,[])])";
    const n = "mcn(0,0,[mcn(12,3,[mcn(13,3,[])]),mcn(1,0,[])])";
    const r = parseRoutesAnswer(`T = ${t}, N = ${n}`);
    expect(childrenOf(r.multicast).get(0)).toEqual([12, 4, 8, 1, 2, 3]);
    expect(childrenOf(r.multicast).get(4)).toEqual([5, 6, 7]);
    expect(treeCores(r.multicast).sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, k) => k));
    expect(r.numa.children[0]).toEqual({
      core: 12,
      bufferNode: 3,
      children: [{ core: 13, bufferNode: 3, children: [] }],
    });
  });

  it("refuses anything else with BAD_ANSWER", () => {
    const bad = [
      "",
      "false",
      "T = mc(0,[]), N = mc(0,[])",
      "T = mc(0,[mc(1,[])], N = mcn(0,0,[])",
      "T = mc(0,[]) , N = mcn(0,0,[]) extra",
      "T = mc(x,[]), N = mcn(0,0,[])",
      "T = mc(-1,[]), N = mcn(0,0,[])",
      `T = ${"mc(0,[".repeat(80)}${"])".repeat(80)}, N = mcn(0,0,[])`,
    ];
    for (const text of bad) {
      let err: unknown;
      try {
        parseRoutesAnswer(text);
      } catch (e) {
        err = e;
      }
      expect(isSkbRoutesError(err) && err.code === "BAD_ANSWER", text).toBe(true);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseRoutesAnswer(text);
        } catch (e) {
          expect(isSkbRoutesError(e)).toBe(true);
        }
      }),
    );
  });
});
