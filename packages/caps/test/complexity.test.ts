/**
 * O(log n), as an operation count rather than a time: every word of CTE memory an operation reads
 * or writes (through the u32 and f64 views the kernel holds) is counted, with a small MDB and with
 * one 32 times larger. log2 grows by 5 over 9 (x1.6, x3.2 at the AA tree's worst 2 log2 n) between
 * the two; a linear step would grow x32. Deterministic: no clock involved.
 */
import { describe, expect, test } from "vitest";
import { capAddr, rootSlot } from "../src/cspace/address.js";
import type { CapResult } from "../src/errors.js";
import { BOOT_SLOTS, bootCore } from "../src/kernel/boot.js";
import { PhysicalMemory } from "../src/physmem/physical-memory.js";
import { RIGHT_IDENTIFY, RIGHT_READ } from "../src/types/rights.js";
import { TYPE_ROOT } from "../src/types/rules.js";

const PAGE = 4096;
const SMALL = 512;
const LARGE = SMALL * 32;
/** Allowed growth of the count from SMALL to LARGE capabilities (log-time: <= ~3.2, linear: 32). */
const MAX_GROWTH = 4;

/** Counts element accesses while `on`. */
class Counter {
  on = false;
  n = 0;
}

/** A view that counts element reads and writes (methods run on the real array). */
function counted<A extends Uint32Array | Float64Array>(array: A, counter: Counter): A {
  const isIndex = (k: string | symbol) =>
    typeof k === "string" && k.charCodeAt(0) >= 48 && k.charCodeAt(0) <= 57;
  return new Proxy(array, {
    get(target, key) {
      if (counter.on && isIndex(key)) counter.n++;
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
    set(target, key, value) {
      if (counter.on && isIndex(key)) counter.n++;
      return Reflect.set(target, key, value, target);
    },
  });
}

function must(r: CapResult<unknown>): void {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
}

/**
 * A core whose MDB holds `fill` 4 KiB Frames (plus boot's caps), then the work objects of the
 * measured operations at fixed slots of root slot 1.
 */
function core(fill: number) {
  const counter = new Counter();
  const mem = new PhysicalMemory({ size: 128 * 1024 * 1024 });
  // The kernel reads CTEs only through these two views (CteStore and the MDB take them from mem).
  Object.defineProperty(mem, "u32", { value: counted(mem.u32, counter) });
  Object.defineProperty(mem, "f64", { value: counted(mem.f64, counter) });
  const { kernel, cspace: cs } = bootCore(mem, {
    core: 0,
    kernelPage: 0,
    ram: { base: 65536, size: mem.size - 65536 },
  });
  let off = 0;
  const take = (bytes: number) => {
    const at = off;
    off += bytes;
    return at;
  };
  const cnodes = 2 + fill / 256;
  for (let i = 1; i <= cnodes; i++) {
    must(
      cs.retype(
        BOOT_SLOTS.ram,
        { type: "CNode", offset: take(16384), objSize: 16384, count: 1 },
        rootSlot(i),
      ),
    );
  }
  const w = (i: number) => capAddr(1, i);
  for (let i = 0; i < fill / 256; i++) {
    const req = { type: "Frame", offset: take(256 * PAGE), objSize: PAGE, count: 256 };
    must(cs.retype(BOOT_SLOTS.ram, req, capAddr(3 + i, 0)));
  }
  const levels = ["pml4", "pdpt", "pdir", "ptable"] as const;
  for (const [i, l] of levels.entries()) {
    must(
      cs.retype(
        BOOT_SLOTS.ram,
        { type: `VNode_x86_64_${l}`, offset: take(PAGE), objSize: PAGE, count: 1 },
        w(i),
      ),
    );
  }
  for (const i of [0, 1, 2]) {
    must(cs.map(w(i), w(i + 1), { slot: 0, offset: 0, count: 1, flags: {} }, w(10 + i)));
  }
  must(
    cs.retype(
      BOOT_SLOTS.ram,
      { type: "Frame", offset: take(16 * PAGE), objSize: 16 * PAGE, count: 1 },
      w(20),
    ),
  );
  must(
    cs.retype(BOOT_SLOTS.ram, { type: "RAM", offset: take(64 * PAGE), objSize: 64 * PAGE, count: 1 }, w(30)),
  );
  const freeRam = take(PAGE);
  return { counter, kernel, cs, w, freeRam };
}

type Core = ReturnType<typeof core>;

/** Each measured operation, leaving the core as it found it (so it can run again). */
const OPS: Record<string, (c: Core) => void> = {
  "retype RAM into a Frame, delete it (last copy)": ({ cs, w, freeRam }) => {
    must(cs.retype(BOOT_SLOTS.ram, { type: "Frame", offset: freeRam, objSize: PAGE, count: 1 }, w(100)));
    must(cs.delete(w(100)));
  },
  "copy, delete the copy": ({ cs, w }) => {
    must(cs.copy(w(20), w(100)));
    must(cs.delete(w(100)));
  },
  "mint, delete": ({ cs, w }) => {
    must(cs.mint(w(20), w(100), RIGHT_READ | RIGHT_IDENTIFY));
    must(cs.delete(w(100)));
  },
  identify: ({ cs, w }) => {
    must(cs.identify(w(20)));
  },
  "map 4 KiB, unmap": ({ cs, w }) => {
    must(cs.map(w(3), w(20), { slot: 5, offset: PAGE, count: 1, flags: { write: true } }, w(100)));
    must(cs.unmap(w(100)));
  },
  "hasCopies, hasDescendants, hasAncestors": ({ cs, w, kernel }) => {
    const c = cs.lookup(w(20));
    if (typeof c !== "number") throw new Error(c.message);
    kernel.mdb.hasCopies(c);
    kernel.mdb.hasDescendants(c);
    kernel.mdb.hasAncestors(c);
  },
  "range query over one page": ({ cs, w, kernel }) => {
    const c = cs.lookup(w(20));
    if (typeof c !== "number") throw new Error(c.message);
    let hits = 0;
    const base = kernel.s.base(c);
    kernel.mdb.overlapping(TYPE_ROOT[kernel.s.type(c)] as number, base, base + PAGE, () => {
      hits++;
      return true;
    });
    if (hits === 0) throw new Error("the range query found nothing");
  },
  "revoke a RAM cap with one copy and four descendants": ({ cs, w }) => {
    must(cs.copy(w(30), w(101)));
    must(cs.retype(w(30), { type: "Frame", offset: 0, objSize: PAGE, count: 4 }, w(102)));
    must(cs.revoke(w(30)));
  },
};

/** The count of one run of `op` (after a first run, so that lazily built side tables exist). */
function measure(c: Core, op: (c: Core) => void): number {
  op(c);
  c.counter.n = 0;
  c.counter.on = true;
  op(c);
  c.counter.on = false;
  return c.counter.n;
}

describe("operations are O(log n): memory words touched with 32x more capabilities", () => {
  const small = core(SMALL);
  const large = core(LARGE);
  test("the two MDBs differ in size as intended", () => {
    // The extra Frames and the CNodes holding them.
    expect(large.kernel.mdb.count - small.kernel.mdb.count).toBe(LARGE - SMALL + (LARGE - SMALL) / 256);
    expect(large.kernel.mdb.check()).toBeNull();
  });
  test.each(Object.keys(OPS))("%s", (name) => {
    const op = OPS[name] as (c: Core) => void;
    const a = measure(small, op);
    const b = measure(large, op);
    expect(a).toBeGreaterThan(0);
    if (process.env.CAPS_COUNTS) console.log(`${name}: ${a} -> ${b}`);
    expect(
      b / a,
      `${a} words with ${small.kernel.mdb.count} caps, ${b} with ${large.kernel.mdb.count}`,
    ).toBeLessThanOrEqual(MAX_GROWTH);
  });
});
