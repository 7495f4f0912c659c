import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { CteStore } from "../src/cspace/cte.js";
import { NIL } from "../src/cspace/cte-layout.js";
import { Mdb } from "../src/mdb/mdb.js";
import { PhysicalMemory } from "../src/physmem/physical-memory.js";
import { T, typeId } from "../src/types/rules.js";
import { overlaps, refCompare, refIsCopy, type Seen } from "./model.js";

const TYPES = [T.PhysAddr, T.RAM, T.Frame, T.CNode, typeId("IO"), typeId("Frame_Mapping")];

/** Synthetic entries: any keys (the MDB does not care whether they could arise from retypes). */
const entry = fc.record({
  type: fc.constantFrom(...TYPES),
  base: fc.integer({ min: 0, max: 40 }),
  size: fc.integer({ min: 1, max: 12 }),
});
const step = fc.oneof(
  { weight: 3, arbitrary: fc.record({ ins: entry }) },
  { weight: 2, arbitrary: fc.record({ del: fc.nat() }) },
);

/** An empty MDB, the model of what it holds, and an insert of a synthetic entry into both. */
function tree() {
  const s = new CteStore(new PhysicalMemory({ size: 65536 }));
  const mdb = new Mdb(s);
  const live = new Map<number, Seen>();
  let next = 0;
  const insert = ({ type, base, size }: { type: number; base: number; size: number }): void => {
    const c = next++ % 1024;
    if (live.has(c)) return;
    s.write(c, type, base * 4096, size * 4096, 31, 0, 0);
    mdb.insert(c);
    const root = type === typeId("IO") ? type : T.PhysAddr;
    live.set(c, { cte: c, type, root, base: base * 4096, size: size * 4096, rights: 31 });
  };
  return { s, mdb, live, insert };
}

describe("MDB (AA tree with end augmentation)", () => {
  test("order, balance and augmentation hold; queries agree with a brute-force scan", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 300 }), (steps) => {
        const { s, mdb, live, insert } = tree();
        for (const st of steps) {
          if ("ins" in st) insert(st.ins);
          else if (live.size > 0) {
            const keys = [...live.keys()];
            const c = keys[st.del % keys.length] as number;
            mdb.remove(c);
            s.clear(c);
            live.delete(c);
          }
        }
        expect(mdb.check()).toBeNull();
        const all = [...live.values()].sort(refCompare);
        expect(mdb.toArray()).toEqual(all.map((x) => x.cte));
        for (const [i, x] of all.entries()) {
          expect(mdb.successor(x.cte)).toBe(all[i + 1]?.cte ?? NIL);
          expect(mdb.predecessor(x.cte)).toBe(all[i - 1]?.cte ?? NIL);
          expect(mdb.hasCopies(x.cte)).toBe(all.some((y) => y.cte !== x.cte && refIsCopy(x, y)));
          // Range query: everything overlapping x's region in its tree, in order.
          const got: number[] = [];
          mdb.overlapping(x.root, x.base, x.base + x.size, (c) => {
            got.push(c);
            return true;
          });
          expect(got).toEqual(all.filter((y) => overlaps(x, y)).map((y) => y.cte));
          // firstOverlapAfter: the first entry after x's copies overlapping [x.base, x.base + 4096).
          const want = all.find(
            (y, j) => j > i && !refIsCopy(x, y) && refCompare(x, y) < 0 && overlaps(y, { ...x, size: 4096 }),
          );
          const after = mdb.firstOverlapAfter(
            x.root,
            x.base,
            x.size,
            x.type,
            Number.POSITIVE_INFINITY,
            x.base,
            x.base + 4096,
          );
          expect(after).toBe(want?.cte ?? NIL);
        }
      }),
      { numRuns: 150 },
    );
  });

  // Insert and remove retrace only as far as something changed: a wrong stop shows up as a broken
  // invariant right after the step that made it, so the tree is checked after every step here.
  test("every single insert, remove and remove-if-copied leaves a valid tree", () => {
    const op = fc.oneof(
      { weight: 4, arbitrary: fc.record({ ins: entry }) },
      { weight: 2, arbitrary: fc.record({ del: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ delIfCopied: fc.nat() }) },
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 100, maxLength: 400 }), (steps) => {
        const { s, mdb, live, insert } = tree();
        for (const st of steps) {
          if ("ins" in st) insert(st.ins);
          else if (live.size > 0) {
            const keys = [...live.keys()];
            const pick = "del" in st ? st.del : st.delIfCopied;
            const c = keys[pick % keys.length] as number;
            const x = live.get(c) as Seen;
            if ("del" in st) mdb.remove(c);
            else {
              const copied = [...live.values()].some((y) => y.cte !== c && refIsCopy(x, y));
              expect(mdb.removeIfCopied(c)).toBe(copied);
              if (!copied) {
                expect(mdb.check()).toBeNull();
                continue;
              }
            }
            s.clear(c);
            live.delete(c);
          }
          expect(mdb.check()).toBeNull();
        }
        expect(mdb.toArray()).toEqual([...live.values()].sort(refCompare).map((x) => x.cte));
      }),
      { numRuns: 200 },
    );
  });
});
