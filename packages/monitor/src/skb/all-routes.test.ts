// Reading the SKB's all-roots answer and choosing the roots per query: every well-formed answer
// reads back as its trees by root; anything else is a typed BAD_ANSWER; the query never outgrows
// skb.if's input string and its answer never outgrows the output string.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allRoutesQuery, parseAllRoutesAnswer, rootsPerQuery } from "./all-routes.js";
import { isSkbRoutesError } from "./errors.js";
import type { RouteTree } from "./routes.js";

const mcText = (t: RouteTree): string => `mc(${t.core},[${t.children.map(mcText).join(",")}])`;
const mcnText = (t: RouteTree): string =>
  `mcn(${t.core},${t.bufferNode ?? 0},[${t.children.map(mcnText).join(",")}])`;

/** A root with a star of leaves, and the NUMA twin with buffer nodes. */
const entry = fc.record({
  leaves: fc.uniqueArray(fc.nat(63), { maxLength: 6 }),
  node: fc.nat(7),
});

function bad(text: string): boolean {
  try {
    parseAllRoutesAnswer(text);
  } catch (e) {
    return isSkbRoutesError(e) && e.code === "BAD_ANSWER";
  }
  return false;
}

describe("parseAllRoutesAnswer", () => {
  it("reads every root's printed trees back, by root", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), fc.boolean(), (entries, withVars) => {
        const trees = entries.map((e, root) => ({
          mc: { core: root, children: e.leaves.map((core) => ({ core, children: [] })) },
          mcn: {
            core: root,
            bufferNode: e.node,
            children: e.leaves.map((core) => ({ core, bufferNode: e.node, children: [] })),
          },
        }));
        const list = trees.map((t, root) => `r(${root},${mcText(t.mc)},${mcnText(t.mcn)})`).join(",");
        const got = parseAllRoutesAnswer(`${withVars ? "K = _, T = _A1, N = _, " : ""}L = [${list}]`);
        expect(got.size).toBe(entries.length);
        trees.forEach((t, root) => {
          expect(got.get(root)).toEqual({ multicast: t.mc, numa: t.mcn });
        });
      }),
    );
  });

  it("refuses anything else with BAD_ANSWER", () => {
    for (const text of [
      "",
      "false",
      "L = [",
      "L = [r(0,mc(0,[]))]",
      "L = [r(0,mc(1,[]),mcn(1,0,[]))]",
      "L = [r(0,mc(0,[]),mcn(0,0,[])),r(0,mc(0,[]),mcn(0,0,[]))]",
      "L = [r(0,mc(0,[]),mcn(0,0,[]),x)]",
      "L = [q(0,mc(0,[]),mcn(0,0,[]))]",
      "L = [r(0,mc(0,[),mcn(0,0,[]))]",
      "X = 1, L = []",
    ])
      expect(bad(text), text).toBe(true);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseAllRoutesAnswer(text);
        } catch (e) {
          expect(isSkbRoutesError(e)).toBe(true);
        }
      }),
    );
  });
});

describe("rootsPerQuery", () => {
  it("keeps the query within 2 KiB and a chunk's trees within half of 64 KiB", () => {
    for (let cores = 1; cores <= 128; cores++) {
      const n = rootsPerQuery(cores);
      expect(n).toBeGreaterThanOrEqual(1);
      const roots = Array.from({ length: Math.min(n, cores) }, (_, i) => cores - 1 - i);
      expect(allRoutesQuery(roots).length).toBeLessThanOrEqual(2048);
      // The printed size of a root's two trees over `cores` cores of up to 3 digits.
      const perRoot = `r(${cores},,)`.length + cores * "mc(127,[]),".length + cores * "mcn(127,7,[]),".length;
      expect(Math.min(n, cores) * perRoot).toBeLessThanOrEqual(48 * 1024);
    }
  });
});
