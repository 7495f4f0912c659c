// The software TLB's invalidate-page against a model of a direct-mapped cache: page tables of two
// address spaces are edited behind the TLB's back (as another core's unmap would), so a translation
// served from the cache shows as the stale frame and a walk as the current one. After invalidating a
// page (of one address space or of all), the next translate of it walks again; every other entry
// survives, stale as it is, until it is itself invalidated, evicted or flushed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Tlb } from "../src/vnode/tlb.js";
import { ACCESS_READ } from "../src/vnode/translate.js";

const PAGE = 4096;
const PAGES = 24; // virtual pages 0..23, all in one page table per address space
const ENTRIES = 8; // fewer slots than pages: collisions evict
const PRESENT_RW_USER = 7;
/** Address space s: PML4 at 4 pages * s, then its PDPT, PD and PT. */
const ROOTS = [0, 4 * PAGE];
const frameOf = (f: number) => (32 + f) * PAGE; // never read: translate reads only the tables

function pageTables(): Uint32Array {
  const u32 = new Uint32Array((8 * PAGE) / 4);
  for (const root of ROOTS) {
    u32[root / 4] = (root + PAGE) | PRESENT_RW_USER; // PML4[0] -> PDPT
    u32[(root + PAGE) / 4] = (root + 2 * PAGE) | PRESENT_RW_USER; // PDPT[0] -> PD
    u32[(root + 2 * PAGE) / 4] = (root + 3 * PAGE) | PRESENT_RW_USER; // PD[0] -> PT
  }
  return u32;
}
const pteIndex = (space: number, page: number) => ((ROOTS[space] as number) + 3 * PAGE + 8 * page) / 4;

type Op =
  | { op: "translate"; space: number; page: number }
  | { op: "set"; space: number; page: number; frame: number | null }
  | { op: "invalidate"; space: number | null; page: number }
  | { op: "range"; space: number | null; page: number; pages: number }
  | { op: "flush" };

const space = fc.integer({ min: 0, max: 1 });
const page = fc.integer({ min: 0, max: PAGES - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("translate" as const), space, page }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("set" as const),
      space,
      page,
      frame: fc.option(fc.integer({ min: 0, max: 200 })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("invalidate" as const), space: fc.option(space), page }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("range" as const),
      space: fc.option(space),
      page,
      pages: fc.integer({ min: 0, max: 20 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("flush" as const) }) },
);

describe("Tlb invalidate and invalidateRange", () => {
  it("match a model of a direct-mapped cache: invalidated pages walk again, the rest survive", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 150, maxLength: 300 }), (ops) => {
        const u32 = pageTables();
        const tlb = new Tlb(u32, ENTRIES);
        // The model: what each slot holds, and the page tables as they are now.
        const slots = new Map<number, { space: number; page: number; phys: number }>();
        const current = new Map<string, number>();
        let next = 1000;
        const drop = (s: number | null, p: number) => {
          const e = slots.get(p % ENTRIES);
          if (e !== undefined && e.page === p && (s === null || e.space === s)) slots.delete(p % ENTRIES);
        };
        for (const o of ops) {
          switch (o.op) {
            case "translate": {
              const got = tlb.translate(ROOTS[o.space] as number, o.page * PAGE + 12, ACCESS_READ);
              const e = slots.get(o.page % ENTRIES);
              if (e !== undefined && e.space === o.space && e.page === o.page) {
                expect(got, "a cached entry answers, stale or not").toBe(e.phys + 12);
              } else {
                const phys = current.get(`${o.space}:${o.page}`);
                if (phys === undefined) expect(got).toBeLessThan(0);
                else {
                  expect(got, "a miss walks the current tables").toBe(phys + 12);
                  slots.set(o.page % ENTRIES, { space: o.space, page: o.page, phys });
                }
              }
              // Move a mapped page to a fresh frame: from now on a cached answer and a walk differ.
              if (current.has(`${o.space}:${o.page}`)) {
                const fresh = frameOf(next++);
                u32[pteIndex(o.space, o.page)] = fresh | PRESENT_RW_USER;
                current.set(`${o.space}:${o.page}`, fresh);
              }
              break;
            }
            case "set": {
              // Edited behind the TLB's back: no invalidation.
              const i = pteIndex(o.space, o.page);
              if (o.frame === null) {
                u32[i] = 0;
                current.delete(`${o.space}:${o.page}`);
              } else {
                u32[i] = frameOf(o.frame) | PRESENT_RW_USER;
                current.set(`${o.space}:${o.page}`, frameOf(o.frame));
              }
              break;
            }
            case "invalidate":
              tlb.invalidate(o.page * PAGE + 100, o.space === null ? undefined : ROOTS[o.space]);
              drop(o.space, o.page);
              break;
            case "range":
              tlb.invalidateRange(o.page * PAGE + 5, o.pages, o.space === null ? undefined : ROOTS[o.space]);
              for (let p = o.page; p < o.page + o.pages; p++) drop(o.space, p);
              break;
            case "flush":
              tlb.flush();
              slots.clear();
              break;
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a range wider than the TLB drops exactly the range's pages", () => {
    const u32 = pageTables();
    const tlb = new Tlb(u32, 8);
    for (let p = 0; p < 8; p++) u32[pteIndex(0, p * 5)] = frameOf(p) | PRESENT_RW_USER;
    // Pages 0, 5, ..., 35 fill the 8 slots (p * 5 mod 8 is a permutation).
    for (let p = 0; p < 8; p++) expect(tlb.translate(0, p * 5 * PAGE, ACCESS_READ)).toBe(frameOf(p));
    for (let p = 0; p < 8; p++) u32[pteIndex(0, p * 5)] = 0;
    tlb.invalidateRange(10 * PAGE, 20); // pages 10..29: 10, 15, 20, 25
    for (let p = 0; p < 8; p++) {
      const got = tlb.translate(0, p * 5 * PAGE, ACCESS_READ);
      if (p * 5 >= 10 && p * 5 < 30) expect(got, `page ${p * 5}`).toBeLessThan(0);
      else expect(got, `page ${p * 5}`).toBe(frameOf(p));
    }
    expect(tlb.entries).toBe(8);
  });
});
