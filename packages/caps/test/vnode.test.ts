import { describe, expect, test } from "vitest";
import { capAddr } from "../src/cspace/address.js";
import type { CapResult } from "../src/errors.js";
import type { CSpace } from "../src/kernel/cspace.js";
import { RIGHT_IDENTIFY, RIGHT_READ, RIGHT_WRITE, RIGHTS_ALL } from "../src/types/rights.js";
import {
  ACCESS_EXECUTE,
  ACCESS_READ,
  ACCESS_USER,
  ACCESS_WRITE,
  decodeFault,
  translate,
} from "../src/vnode/translate.js";
import { BOOT_SLOTS, bootSmall, RAM_BASE } from "./helpers.js";

const PAGE = 4096;
const a = (l2: number) => capAddr(0, l2);
const code = (r: CapResult<unknown>) => (r.ok ? "OK" : r.code);
const S = { pml4: a(20), pdpt: a(21), pdir: a(22), pt: a(23), frame: a(30), big: a(31) } as const;
const M = { pdpt: a(40), pdir: a(41), pt: a(42), frame: a(43) } as const;

/** Four tables, a 16 KiB frame and a 2 MiB-aligned 4 MiB frame, linked: pml4[1] → pdpt[2] → pdir[3] → pt. */
function setup() {
  const env = bootSmall(32 * 1024 * 1024);
  const cs = env.cspace;
  const levels = ["pml4", "pdpt", "pdir", "ptable"] as const;
  levels.forEach((l, i) => {
    const r = cs.retype(
      BOOT_SLOTS.ram,
      { type: `VNode_x86_64_${l}`, offset: i * PAGE, objSize: PAGE, count: 1 },
      a(20 + i),
    );
    expect(code(r)).toBe("OK");
  });
  expect(
    code(
      cs.retype(BOOT_SLOTS.ram, { type: "Frame", offset: 4 * PAGE, objSize: 4 * PAGE, count: 1 }, S.frame),
    ),
  ).toBe("OK");
  const bigOffset = 4 * 1024 * 1024 - RAM_BASE; // physical 4 MiB
  expect(
    code(cs.retype(BOOT_SLOTS.ram, { type: "Frame", offset: bigOffset, objSize: 4 << 20, count: 1 }, S.big)),
  ).toBe("OK");
  const link = (vn: number, slot: number, src: number, m: number) =>
    expect(code(cs.map(vn, src, { slot, offset: 0, count: 1, flags: {} }, m))).toBe("OK");
  link(S.pml4, 1, S.pdpt, M.pdpt);
  link(S.pdpt, 2, S.pdir, M.pdir);
  link(S.pdir, 3, S.pt, M.pt);
  const cr3 = cs.pml4Base(S.pml4);
  if (!cr3.ok) throw new Error(cr3.message);
  return { ...env, cs, cr3: cr3.value };
}

const va = (l4: number, l3: number, l2: number, l1: number, off = 0) =>
  l4 * 2 ** 39 + l3 * 2 ** 30 + l2 * 2 ** 21 + l1 * PAGE + off;

function frameBase(cs: CSpace, addr: number): number {
  const r = cs.identify(addr);
  if (!r.ok) throw new Error(r.message);
  return r.value.base;
}

describe("map and translate", () => {
  test("4 KiB pages translate with the right bits; faults are typed", () => {
    const { cs, mem, cr3 } = setup();
    expect(
      code(
        cs.map(
          S.pt,
          S.frame,
          { slot: 5, offset: PAGE, count: 2, flags: { write: true, user: true } },
          M.frame,
        ),
      ),
    ).toBe("OK");
    const fb = frameBase(cs, S.frame);
    expect(translate(mem.u32, cr3, va(1, 2, 3, 5, 123), ACCESS_READ)).toBe(fb + PAGE + 123);
    expect(translate(mem.u32, cr3, va(1, 2, 3, 6, 4095), ACCESS_WRITE | ACCESS_USER)).toBe(
      fb + 2 * PAGE + 4095,
    );
    expect(decodeFault(translate(mem.u32, cr3, va(1, 2, 3, 7), ACCESS_READ))).toEqual({
      reason: "NOT_PRESENT",
      level: 1,
    });
    expect(decodeFault(translate(mem.u32, cr3, va(1, 2, 4, 0), ACCESS_READ))).toEqual({
      reason: "NOT_PRESENT",
      level: 2,
    });
    expect(decodeFault(translate(mem.u32, cr3, va(0, 0, 0, 0), ACCESS_READ))).toEqual({
      reason: "NOT_PRESENT",
      level: 4,
    });
    expect(decodeFault(translate(mem.u32, cr3, va(1, 3, 0, 0), ACCESS_READ))).toEqual({
      reason: "NOT_PRESENT",
      level: 3,
    });
    expect(decodeFault(translate(mem.u32, cr3, va(1, 2, 3, 5), ACCESS_EXECUTE))).toEqual({
      reason: "EXECUTE",
      level: 1,
    });
    expect(decodeFault(translate(mem.u32, cr3, 2 ** 48, ACCESS_READ)).reason).toBe("NONCANONICAL");
    expect(decodeFault(translate(mem.u32, cr3, Number.NaN, ACCESS_READ)).reason).toBe("NONCANONICAL");
    expect(cs.translate(S.pml4, va(1, 2, 3, 5, 1), ACCESS_READ)).toEqual({
      ok: true,
      value: { phys: fb + PAGE + 1 },
    });
  });

  test("read-only and supervisor pages fault on write and user access", () => {
    const { cs, mem, cr3 } = setup();
    expect(code(cs.map(S.pt, S.frame, { slot: 0, offset: 0, count: 1, flags: {} }, M.frame))).toBe("OK");
    expect(decodeFault(translate(mem.u32, cr3, va(1, 2, 3, 0), ACCESS_WRITE))).toEqual({
      reason: "WRITE",
      level: 1,
    });
    expect(decodeFault(translate(mem.u32, cr3, va(1, 2, 3, 0), ACCESS_USER))).toEqual({
      reason: "USER",
      level: 1,
    });
  });

  test("2 MiB pages in a page directory", () => {
    const { cs, mem, cr3 } = setup();
    expect(
      code(
        cs.map(
          S.pdir,
          S.big,
          { slot: 10, offset: 2 << 20, count: 1, flags: { write: true, execute: true } },
          M.frame,
        ),
      ),
    ).toBe("OK");
    const fb = frameBase(cs, S.big);
    expect(translate(mem.u32, cr3, va(1, 2, 10, 0, 0) + 0x12345, ACCESS_EXECUTE | ACCESS_WRITE)).toBe(
      fb + (2 << 20) + 0x12345,
    );
    // Misaligned or too long.
    expect(code(cs.map(S.pdir, S.frame, { slot: 11, offset: 0, count: 1, flags: {} }, a(44)))).toBe(
      "OUT_OF_RANGE",
    );
    expect(code(cs.map(S.pdir, S.big, { slot: 11, offset: PAGE, count: 1, flags: {} }, a(44)))).toBe(
      "INVALID_ARGUMENT",
    );
  });

  test("map errors", () => {
    const { cs } = setup();
    const m = (
      vn: number,
      src: number,
      slot: number,
      offset: number,
      count: number,
      flags = {},
      dst = a(44),
    ) => code(cs.map(vn, src, { slot, offset, count, flags }, dst));
    expect(m(S.frame, S.frame, 0, 0, 1)).toBe("CAP_TYPE");
    expect(m(S.pml4, S.frame, 0, 0, 1)).toBe("MAP_TYPE");
    expect(m(S.pml4, S.pdir, 0, 0, 1)).toBe("MAP_TYPE");
    expect(m(S.pt, S.frame, 510, 0, 4)).toBe("OUT_OF_RANGE");
    expect(m(S.pt, S.frame, 0, 0, 5)).toBe("OUT_OF_RANGE");
    expect(m(S.pt, S.frame, 0, 100, 1)).toBe("INVALID_ARGUMENT");
    expect(m(S.pt, S.frame, 0, 0, 0)).toBe("INVALID_ARGUMENT");
    expect(m(S.pt, a(99), 0, 0, 1)).toBe("CAP_NOT_FOUND");
    expect(m(S.pt, S.frame, 0, 0, 1, {}, M.pt)).toBe("SLOT_OCCUPIED");
    expect(m(S.pt, S.frame, 0, 0, 2)).toBe("OK");
    expect(m(S.pt, S.frame, 1, 0, 1, {}, a(45))).toBe("VNODE_SLOT_IN_USE");
    expect(code(cs.copy(a(44), a(46)))).toBe("CAP_NOT_COPYABLE");
  });

  test("a mapping never exceeds the frame cap's rights", () => {
    const { cs } = setup();
    expect(code(cs.mint(S.frame, a(50), RIGHT_READ | RIGHT_IDENTIFY))).toBe("OK");
    const m = (flags: object, src = a(50), dst = a(44)) =>
      code(cs.map(S.pt, src, { slot: 0, offset: 0, count: 1, flags }, dst));
    expect(m({ write: true })).toBe("CAP_RIGHTS");
    expect(m({ execute: true })).toBe("CAP_RIGHTS");
    expect(code(cs.mint(S.frame, a(51), RIGHT_WRITE))).toBe("OK");
    expect(m({}, a(51))).toBe("CAP_RIGHTS");
    expect(m({})).toBe("OK");
    expect(code(cs.modifyFlags(a(44), { write: true }))).toBe("CAP_RIGHTS");
    expect(code(cs.mint(S.pt, a(52), RIGHT_READ))).toBe("OK");
    expect(code(cs.map(a(52), S.frame, { slot: 9, offset: 0, count: 1, flags: {} }, a(45)))).toBe(
      "CAP_RIGHTS",
    );
  });

  test("modify flags rewrites every entry; unmap clears them", () => {
    const { cs, mem, cr3 } = setup();
    expect(code(cs.map(S.pt, S.frame, { slot: 0, offset: 0, count: 4, flags: {} }, M.frame))).toBe("OK");
    expect(translate(mem.u32, cr3, va(1, 2, 3, 3), ACCESS_WRITE)).toBeLessThan(0);
    expect(code(cs.modifyFlags(M.frame, { write: true, user: true }))).toBe("OK");
    const fb = frameBase(cs, S.frame);
    for (let i = 0; i < 4; i++)
      expect(translate(mem.u32, cr3, va(1, 2, 3, i), ACCESS_WRITE | ACCESS_USER)).toBe(fb + i * PAGE);
    expect(code(cs.modifyFlags(M.pt, {}))).toBe("CAP_TYPE");
    expect(code(cs.unmap(S.frame))).toBe("CAP_TYPE");
    expect(code(cs.unmap(M.frame))).toBe("OK");
    expect(decodeFault(translate(mem.u32, cr3, va(1, 2, 3, 0), ACCESS_READ))).toEqual({
      reason: "NOT_PRESENT",
      level: 1,
    });
    expect(code(cs.map(S.pt, S.frame, { slot: 0, offset: 0, count: 4, flags: {} }, M.frame))).toBe("OK");
  });

  test("deleting the frame's last copy unmaps it; deleting a table drops the mappings in it", () => {
    const { cs, mem, cr3, kernel } = setup();
    expect(code(cs.map(S.pt, S.frame, { slot: 0, offset: 0, count: 1, flags: {} }, M.frame))).toBe("OK");
    expect(code(cs.copy(S.frame, a(60)))).toBe("OK");
    expect(code(cs.delete(S.frame))).toBe("OK");
    expect(translate(mem.u32, cr3, va(1, 2, 3, 0), ACCESS_READ)).toBeGreaterThan(0);
    expect(code(cs.delete(a(60)))).toBe("OK");
    expect(translate(mem.u32, cr3, va(1, 2, 3, 0), ACCESS_READ)).toBeLessThan(0);
    expect(code(cs.identify(M.frame))).toBe("CAP_NOT_FOUND");
    // The page directory goes: its mapping of the page table, and its own mapping in the PDPT, go with it.
    expect(code(cs.delete(S.pdir))).toBe("OK");
    expect(code(cs.identify(M.pt))).toBe("CAP_NOT_FOUND");
    expect(code(cs.identify(M.pdir))).toBe("CAP_NOT_FOUND");
    expect(decodeFault(translate(mem.u32, cr3, va(1, 2, 3, 0), ACCESS_READ))).toEqual({
      reason: "NOT_PRESENT",
      level: 3,
    });
    expect(kernel.mdb.check()).toBeNull();
  });

  test("revoking the RAM tears down tables and mappings", () => {
    const { cs, kernel, mem, cr3 } = setup();
    expect(code(cs.map(S.pt, S.frame, { slot: 0, offset: 0, count: 4, flags: {} }, M.frame))).toBe("OK");
    expect(code(cs.mint(BOOT_SLOTS.ram, a(70), RIGHTS_ALL))).toBe("OK");
    expect(code(cs.revoke(BOOT_SLOTS.ram))).toBe("OK");
    for (const x of [...Object.values(S), ...Object.values(M), a(70)])
      expect(code(cs.identify(x))).toBe("CAP_NOT_FOUND");
    expect(kernel.tableMappings.size).toBe(0);
    expect(kernel.mdb.check()).toBeNull();
    void mem;
    void cr3;
  });
});

describe("TLB", () => {
  test("hits agree with the walk, permissions are rechecked, unmap and modify flush it", async () => {
    const { Tlb } = await import("../src/vnode/tlb.js");
    const { cs, mem, cr3, kernel } = setup();
    const tlb = new Tlb(mem.u32, 16);
    kernel.attachTlb(tlb);
    expect(code(cs.map(S.pt, S.frame, { slot: 0, offset: 0, count: 2, flags: {} }, M.frame))).toBe("OK");
    const v = va(1, 2, 3, 1, 77);
    const phys = translate(mem.u32, cr3, v, ACCESS_READ);
    expect(tlb.translate(cr3, v, ACCESS_READ)).toBe(phys);
    expect(tlb.translate(cr3, v, ACCESS_READ)).toBe(phys);
    expect(decodeFault(tlb.translate(cr3, v, ACCESS_WRITE))).toEqual({ reason: "WRITE", level: 1 });
    expect(code(cs.modifyFlags(M.frame, { write: true }))).toBe("OK");
    expect(tlb.translate(cr3, v, ACCESS_WRITE)).toBe(phys);
    expect(code(cs.unmap(M.frame))).toBe("OK");
    expect(decodeFault(tlb.translate(cr3, v, ACCESS_READ))).toEqual({ reason: "NOT_PRESENT", level: 1 });
    expect(() => new Tlb(mem.u32, 12)).toThrow(RangeError);
  });
});
