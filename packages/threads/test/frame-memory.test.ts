import { describe, expect, it } from "vitest";
import { isThreadsError } from "../src/errors.js";
import { FrameMemory, type FrameWords } from "../src/memory/frame-memory.js";
import { SabMemory } from "../src/memory/sab-memory.js";

/** A stand-in frame over a SharedArrayBuffer, recording which offsets reached the "MMU" path. */
function frame(bytes: number, contiguous = true) {
  const sab = SabMemory.allocate(bytes);
  const calls: string[] = [];
  const via = <T>(what: string, o: number, r: T): T => {
    calls.push(`${what} ${o}`);
    return r;
  };
  const f: FrameWords = {
    byteLength: bytes,
    load32: (o) => via("load", o, sab.load32(o)),
    store32: (o, v) => via("store", o, sab.store32(o, v)),
    add32: (o, v) => via("add", o, sab.add32(o, v)),
    sub32: (o, v) => sab.sub32(o, v),
    exchange32: (o, v) => sab.exchange32(o, v),
    compareExchange32: (o, e, r) => via("cas", o, sab.compareExchange32(o, e, r)),
    wait32: (o, v, ms) => via("wait", o, sab.wait32(o, v, ms)),
    waitAsync32: (o, v, ms) => sab.waitAsync32(o, v, ms),
    notify32: (o, n) => via("notify", o, sab.notify32(o, n)),
    float64Window: (o, n) => (contiguous ? sab.float64View(o, n) : undefined),
    int32Window: (o, n) => (contiguous ? sab.int32View(o, n) : undefined),
  };
  return { f, sab, calls };
}

describe("FrameMemory", () => {
  it("sends synchronisation through the frame's atomics and data through its window", () => {
    const { f, sab, calls } = frame(8192);
    const m = new FrameMemory(f);
    expect(m.byteLength).toBe(8192);
    m.store32(8, 3);
    expect(m.add32(8, 2)).toBe(3);
    expect(m.compareExchange32(8, 5, 9)).toBe(5);
    expect(m.load32(8)).toBe(9);
    expect(m.wait32(8, 1, 0)).toBe("not-equal");
    expect(m.notify32(8)).toBe(0);
    expect(calls).toEqual(["store 8", "add 8", "cas 8", "load 8", "wait 8", "notify 8"]);
    m.setFloat64(4096, 2.5);
    m.setInt32(16, -7);
    expect(sab.getFloat64(4096)).toBe(2.5);
    expect(sab.getInt32(16)).toBe(-7);
    const v = m.float64View(4096, 4);
    v[1] = 6;
    expect(m.getFloat64(4104)).toBe(6);
    const into = new Int32Array(2);
    m.writeInt32(24, Int32Array.of(4, 5));
    m.readInt32(24, into);
    expect([...into]).toEqual([4, 5]);
    expect(m.add64(64, 5n)).toBe(0n);
    expect(m.load64(64)).toBe(5n);
    expect(calls).toHaveLength(6);
  });

  it("refuses misaligned and out-of-range offsets with BAD_OFFSET before touching the frame", () => {
    const { f, calls } = frame(4096);
    const m = new FrameMemory(f);
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isThreadsError(e) ? e.code : "untyped";
      }
      return "none";
    };
    expect(code(() => m.load32(2))).toBe("BAD_OFFSET");
    expect(code(() => m.store32(4096, 1))).toBe("BAD_OFFSET");
    expect(code(() => m.notify32(-4))).toBe("BAD_OFFSET");
    expect(code(() => m.getFloat64(4))).toBe("BAD_OFFSET");
    expect(code(() => m.float64View(0, 513))).toBe("BAD_OFFSET");
    expect(code(() => m.int32View(4092, 2))).toBe("BAD_OFFSET");
    expect(calls).toEqual([]);
  });

  it("refuses a frame that gives no contiguous window", () => {
    const { f } = frame(4096, false);
    expect(() => new FrameMemory(f)).toThrow(/not physically contiguous/);
  });
});
