import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKernelError } from "../errors.js";
import { FrameAllocator, PAGE_BYTES } from "./frame-allocator.js";

describe("the frame allocator of a core's RAM", () => {
  it("never hands out overlapping ranges, and frees coalesce back to one range (against a page bitmap)", () => {
    const pages = 64;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 9 }), fc.nat()), { maxLength: 120 }),
        (ops) => {
          const a = new FrameAllocator(8 * PAGE_BYTES, pages * PAGE_BYTES);
          const used = new Uint8Array(pages);
          const live: { base: number; bytes: number }[] = [];
          for (const [alloc, n, pick] of ops) {
            if (alloc || live.length === 0) {
              try {
                const r = a.alloc(n * PAGE_BYTES - 100);
                expect(r.bytes).toBe(n * PAGE_BYTES);
                for (let p = (r.base - 8 * PAGE_BYTES) / PAGE_BYTES, k = 0; k < n; k++, p++) {
                  expect(used[p]).toBe(0);
                  used[p] = 1;
                }
                live.push(r);
              } catch (e) {
                expect(isKernelError(e, "OUT_OF_MEMORY")).toBe(true);
              }
            } else {
              const r = live.splice(pick % live.length, 1)[0] as { base: number; bytes: number };
              a.free(r);
              for (let p = (r.base - 8 * PAGE_BYTES) / PAGE_BYTES, k = 0; k < r.bytes / PAGE_BYTES; k++, p++)
                used[p] = 0;
            }
            expect(a.used).toBe(used.reduce((s, v) => s + v, 0) * PAGE_BYTES);
          }
          for (const r of live) a.free(r);
          expect(a.alloc(pages * PAGE_BYTES).bytes).toBe(pages * PAGE_BYTES);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses bad sizes, double frees and foreign ranges with typed errors", () => {
    const a = new FrameAllocator(0, 16 * PAGE_BYTES);
    expect(() => a.alloc(0)).toThrow(expect.objectContaining({ code: "BAD_FRAME" }));
    expect(() => a.alloc(17 * PAGE_BYTES)).toThrow(expect.objectContaining({ code: "OUT_OF_MEMORY" }));
    const r = a.alloc(PAGE_BYTES);
    a.free(r);
    expect(() => a.free(r)).toThrow(/free already/);
    expect(() => a.free({ base: 32 * PAGE_BYTES, bytes: PAGE_BYTES })).toThrow(/not this core's RAM/);
  });
});
