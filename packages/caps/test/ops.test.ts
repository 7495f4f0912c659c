import { describe, expect, test } from "vitest";
import { capAddr, rootSlot } from "../src/cspace/address.js";
import { FLAG_LOCKED, FLAG_REMOTE_COPIES, FLAG_REMOTE_DESCS } from "../src/cspace/cte-layout.js";
import type { CapResult } from "../src/errors.js";
import type { CSpace } from "../src/kernel/cspace.js";
import { insertCap } from "../src/kernel/queries.js";
import { RIGHT_IDENTIFY, RIGHT_READ, RIGHTS_ALL } from "../src/types/rights.js";
import { BOOT_SLOTS, bootSmall, RAM_BASE } from "./helpers.js";

const PAGE = 4096;
const a = (l2: number) => capAddr(0, l2);

function code(r: CapResult<unknown>): string {
  return r.ok ? "OK" : r.code;
}

function frames(cs: CSpace, offset: number, count: number, at: number, objSize = PAGE) {
  return cs.retype(BOOT_SLOTS.ram, { type: "Frame", offset, objSize, count }, a(at));
}

function cte(cs: CSpace, addr: number): number {
  const c = cs.lookup(addr);
  if (typeof c !== "number") throw new Error(c.message);
  return c;
}

describe("CSpace addresses", () => {
  test("resolution errors are typed", () => {
    const { cspace } = bootSmall();
    expect(code(cspace.identify(capAddr(300, 0)))).toBe("OUT_OF_RANGE");
    expect(code(cspace.identify(capAddr(7, 0)))).toBe("CAP_NOT_FOUND");
    expect(code(cspace.identify(a(200)))).toBe("CAP_NOT_FOUND");
    expect(code(cspace.identify(-1))).toBe("INVALID_ARGUMENT");
    expect(code(cspace.identify(1.5))).toBe("INVALID_ARGUMENT");
    expect(code(cspace.identify(rootSlot(256)))).toBe("OUT_OF_RANGE");
    // A root slot holding something other than an L2 CNode cannot be walked through.
    expect(
      code(cspace.retype(BOOT_SLOTS.ram, { type: "Frame", offset: 0, objSize: PAGE, count: 1 }, rootSlot(9))),
    ).toBe("OK");
    expect(code(cspace.identify(capAddr(9, 0)))).toBe("CAP_TYPE");
  });

  test("a new L2 CNode installed in a root slot extends the CSpace", () => {
    const { cspace } = bootSmall();
    expect(
      code(
        cspace.retype(BOOT_SLOTS.ram, { type: "CNode", offset: 0, objSize: 16384, count: 1 }, rootSlot(3)),
      ),
    ).toBe("OK");
    expect(code(cspace.copy(BOOT_SLOTS.ram, capAddr(3, 255)))).toBe("OK");
    expect(cspace.identify(capAddr(3, 255))).toMatchObject({
      ok: true,
      value: { type: "RAM", base: RAM_BASE },
    });
  });
});

describe("identify", () => {
  test("reports type, base, size, rights, owner", () => {
    const { cspace } = bootSmall();
    expect(cspace.identify(BOOT_SLOTS.ram)).toMatchObject({
      ok: true,
      value: { type: "RAM", base: RAM_BASE, rights: RIGHTS_ALL, owner: 0, badge: 0, relations: 0 },
    });
    expect(cspace.identify(BOOT_SLOTS.io)).toMatchObject({
      ok: true,
      value: { type: "IO", base: 0, size: 65536 },
    });
  });
  test("needs IDENTIFY", () => {
    const { cspace } = bootSmall();
    expect(code(cspace.mint(BOOT_SLOTS.ram, a(20), RIGHT_READ))).toBe("OK");
    expect(code(cspace.identify(a(20)))).toBe("CAP_RIGHTS");
  });
});

describe("retype", () => {
  test("creates count objects in consecutive slots, zeroed, with the source's rights", () => {
    const { cspace, mem } = bootSmall();
    mem.u32[RAM_BASE / 4 + 1] = 99;
    expect(code(cspace.mint(BOOT_SLOTS.ram, a(19), RIGHT_READ | RIGHT_IDENTIFY))).toBe("OK");
    expect(code(cspace.retype(a(19), { type: "Frame", offset: 0, objSize: PAGE, count: 3 }, a(20)))).toBe(
      "OK",
    );
    for (let i = 0; i < 3; i++) {
      expect(cspace.identify(a(20 + i))).toMatchObject({
        ok: true,
        value: { type: "Frame", base: RAM_BASE + i * PAGE, size: PAGE, rights: RIGHT_READ | RIGHT_IDENTIFY },
      });
    }
    expect(mem.u32[RAM_BASE / 4 + 1]).toBe(0);
  });

  test("argument errors", () => {
    const { cspace } = bootSmall();
    const r = (type: string, offset: number, objSize: number, count: number, at = 20) =>
      code(cspace.retype(BOOT_SLOTS.ram, { type, offset, objSize, count }, a(at)));
    expect(r("Nope", 0, PAGE, 1)).toBe("INVALID_ARGUMENT");
    expect(r("Frame", -PAGE, PAGE, 1)).toBe("INVALID_ARGUMENT");
    expect(r("Frame", 0, PAGE, 0)).toBe("INVALID_ARGUMENT");
    expect(r("Frame", 100, PAGE, 1)).toBe("INVALID_ARGUMENT");
    expect(r("Frame", 0, 100, 1)).toBe("INVALID_SIZE");
    expect(r("CNode", 0, PAGE, 1)).toBe("INVALID_SIZE");
    expect(r("VNode_x86_64_ptable", 0, 2 * PAGE, 1)).toBe("INVALID_SIZE");
    expect(r("Frame_Mapping", 0, 1, 1)).toBe("RETYPE_INVALID");
    expect(r("EndPoint", 0, 1024, 1)).toBe("RETYPE_INVALID");
    expect(r("Frame", 1 << 30, PAGE, 1)).toBe("OUT_OF_RANGE");
    expect(r("Frame", 0, PAGE, 10, 250)).toBe("OUT_OF_RANGE");
    expect(r("Frame", 0, PAGE, 1, 1)).toBe("SLOT_OCCUPIED");
  });

  test("from an empty slot or into the same object", () => {
    const { cspace } = bootSmall();
    expect(code(cspace.retype(a(100), { type: "Frame", offset: 0, objSize: PAGE, count: 1 }, a(20)))).toBe(
      "CAP_NOT_FOUND",
    );
    expect(code(frames(cspace, 0, 1, 20, 2 * PAGE))).toBe("OK");
    expect(code(cspace.retype(a(20), { type: "Frame", offset: 0, objSize: 2 * PAGE, count: 1 }, a(21)))).toBe(
      "RETYPE_INVALID",
    );
    expect(code(cspace.retype(a(20), { type: "Frame", offset: PAGE, objSize: PAGE, count: 1 }, a(21)))).toBe(
      "OK",
    );
    expect(code(cspace.retype(a(20), { type: "RAM", offset: 0, objSize: PAGE, count: 1 }, a(22)))).toBe(
      "RETYPE_INVALID",
    );
  });

  test("a source with descendants retypes where they are not (Barrelfish range check)", () => {
    const { cspace } = bootSmall();
    expect(code(frames(cspace, PAGE, 2, 20))).toBe("OK"); // [1, 3) pages
    expect(code(frames(cspace, 0, 1, 22))).toBe("OK"); // page 0: free
    expect(code(frames(cspace, 3 * PAGE, 1, 23))).toBe("OK"); // page 3: free
    expect(code(frames(cspace, 2 * PAGE, 2, 24))).toBe("RETYPE_OVERLAP"); // pages 2-3 overlap two
    expect(code(frames(cspace, PAGE, 1, 24))).toBe("REVOKE_FIRST"); // page 1 is exactly a descendant
    expect(
      code(
        cspace.retype(BOOT_SLOTS.ram, { type: "RAM", offset: 8 * PAGE, objSize: 8 * PAGE, count: 1 }, a(30)),
      ),
    ).toBe("OK");
    // Inside a RAM child: covered by the child, so the parent may not carve it; the child may.
    expect(code(frames(cspace, 9 * PAGE, 1, 31))).toBe("REVOKE_FIRST");
    expect(code(cspace.retype(a(30), { type: "Frame", offset: PAGE, objSize: PAGE, count: 1 }, a(31)))).toBe(
      "OK",
    );
  });

  test("a RAM cap naming memory the machine lacks (a peer's bad record) cannot be retyped: NO_MEMORY", () => {
    const { cspace, kernel, mem } = bootSmall();
    const dst = cspace.resolve(a(50));
    if (typeof dst !== "number") throw new Error(dst.message);
    const ram = {
      type: "RAM",
      base: mem.size - PAGE,
      size: 4 * PAGE,
      rights: RIGHTS_ALL,
      badge: 0,
      owner: 0,
    };
    expect(code(insertCap(kernel, dst, { ...ram, relations: 0 }))).toBe("OK");
    const frame = (offset: number) => ({ type: "Frame", offset, objSize: PAGE, count: 1 });
    expect(code(cspace.retype(a(50), frame(0), a(51)))).toBe("OK");
    expect(code(cspace.retype(a(50), frame(PAGE), a(52)))).toBe("NO_MEMORY");
    expect(code(cspace.identify(a(52)))).toBe("CAP_NOT_FOUND");
  });

  test("remote owner or remote descendants: retry through the monitor, unless from it", () => {
    const { cspace, kernel } = bootSmall();
    const c = cte(cspace, BOOT_SLOTS.ram);
    kernel.s.setFlags(c, FLAG_REMOTE_DESCS);
    expect(code(frames(cspace, 0, 1, 20))).toBe("RETRY_THROUGH_MONITOR");
    expect(
      code(
        cspace.retype(BOOT_SLOTS.ram, { type: "Frame", offset: 0, objSize: PAGE, count: 1 }, a(20), {
          fromMonitor: true,
        }),
      ),
    ).toBe("OK");
    kernel.s.setFlags(c, 0);
    kernel.s.setOwner(c, 3);
    expect(code(frames(cspace, PAGE, 1, 21))).toBe("RETRY_THROUGH_MONITOR");
    kernel.s.setOwner(c, 0);
    kernel.s.setFlags(c, FLAG_LOCKED);
    expect(code(frames(cspace, PAGE, 1, 21))).toBe("CAP_LOCKED");
  });

  test("a dispatcher is retyped into endpoints any number of times", () => {
    const { cspace } = bootSmall();
    expect(
      code(cspace.retype(BOOT_SLOTS.ram, { type: "Dispatcher", offset: 0, objSize: 1024, count: 1 }, a(20))),
    ).toBe("OK");
    const ep = { type: "EndPoint", offset: 0, objSize: 1024, count: 1 };
    expect(code(cspace.retype(a(20), ep, a(21)))).toBe("OK");
    expect(code(cspace.retype(a(20), ep, a(22)))).toBe("OK");
    expect(code(cspace.retype(a(20), { ...ep, offset: 1024 }, a(23)))).toBe("OUT_OF_RANGE");
  });

  test("IO ports and IRQ vectors retype into sub-ranges in their own type tree", () => {
    const { cspace } = bootSmall();
    expect(
      code(cspace.retype(BOOT_SLOTS.io, { type: "IO", offset: 0x3f8, objSize: 8, count: 1 }, a(20))),
    ).toBe("OK");
    expect(cspace.identify(a(20))).toMatchObject({ ok: true, value: { type: "IO", base: 0x3f8, size: 8 } });
    // Port numbers overlap memory addresses numerically, but not in the MDB: a Frame at 0x3f8 is unrelated.
    expect(
      code(cspace.retype(BOOT_SLOTS.io, { type: "IO", offset: 0x3f8, objSize: 4, count: 1 }, a(21))),
    ).toBe("REVOKE_FIRST");
  });
});

describe("copy and mint", () => {
  test("copy makes a copy the MDB sees", () => {
    const { cspace, kernel } = bootSmall();
    expect(code(frames(cspace, 0, 1, 20))).toBe("OK");
    const f = cte(cspace, a(20));
    expect(kernel.mdb.hasCopies(f)).toBe(false);
    expect(code(cspace.copy(a(20), a(21)))).toBe("OK");
    expect(kernel.mdb.hasCopies(f)).toBe(true);
    expect(code(cspace.copy(a(20), a(21)))).toBe("SLOT_OCCUPIED");
    expect(code(cspace.copy(a(99), a(22)))).toBe("CAP_NOT_FOUND");
  });

  test("mint narrows rights and never widens them", () => {
    const { cspace } = bootSmall();
    expect(code(cspace.mint(BOOT_SLOTS.ram, a(20), RIGHT_READ | RIGHT_IDENTIFY))).toBe("OK");
    expect(code(cspace.mint(a(20), a(21), RIGHTS_ALL))).toBe("OK");
    expect(cspace.identify(a(21))).toMatchObject({
      ok: true,
      value: { rights: RIGHT_READ | RIGHT_IDENTIFY },
    });
    expect(code(cspace.mint(a(20), a(22), 64))).toBe("INVALID_ARGUMENT");
  });

  test("badges go on endpoints only, once", () => {
    const { cspace } = bootSmall();
    expect(
      code(cspace.retype(BOOT_SLOTS.ram, { type: "Dispatcher", offset: 0, objSize: 1024, count: 1 }, a(20))),
    ).toBe("OK");
    expect(code(cspace.retype(a(20), { type: "EndPoint", offset: 0, objSize: 1024, count: 1 }, a(21)))).toBe(
      "OK",
    );
    expect(code(cspace.mint(a(21), a(22), RIGHTS_ALL, 7))).toBe("OK");
    expect(cspace.identify(a(22))).toMatchObject({ ok: true, value: { type: "EndPoint", badge: 7 } });
    expect(code(cspace.mint(a(22), a(23), RIGHTS_ALL, 8))).toBe("INVALID_ARGUMENT");
    expect(code(cspace.mint(a(22), a(23), RIGHTS_ALL, 7))).toBe("OK");
    expect(code(cspace.mint(BOOT_SLOTS.ram, a(24), RIGHTS_ALL, 1))).toBe("CAP_TYPE");
    expect(code(cspace.mint(a(21), a(24), RIGHTS_ALL, 2 ** 32))).toBe("INVALID_ARGUMENT");
  });
});

describe("delete and revoke", () => {
  test("deleting the last copy frees the region for the parent; a remaining copy keeps it", () => {
    const { cspace } = bootSmall();
    expect(code(frames(cspace, 0, 1, 20))).toBe("OK");
    expect(code(cspace.copy(a(20), a(21)))).toBe("OK");
    expect(code(cspace.delete(a(20)))).toBe("OK");
    expect(code(frames(cspace, 0, 1, 22))).toBe("REVOKE_FIRST");
    expect(code(cspace.delete(a(21)))).toBe("OK");
    expect(
      code(cspace.retype(BOOT_SLOTS.ram, { type: "CNode", offset: 0, objSize: 16384, count: 1 }, a(22))),
    ).toBe("OK");
    expect(code(cspace.delete(a(21)))).toBe("CAP_NOT_FOUND");
  });

  test("deleting the last copy of a CNode deletes what its slots hold", () => {
    const { cspace, kernel } = bootSmall();
    expect(
      code(
        cspace.retype(BOOT_SLOTS.ram, { type: "CNode", offset: 0, objSize: 16384, count: 1 }, rootSlot(4)),
      ),
    ).toBe("OK");
    expect(
      code(
        cspace.retype(
          BOOT_SLOTS.ram,
          { type: "Frame", offset: 16384, objSize: PAGE, count: 2 },
          capAddr(4, 0),
        ),
      ),
    ).toBe("OK");
    expect(
      code(
        cspace.retype(
          BOOT_SLOTS.ram,
          { type: "Frame", offset: 16384 + 2 * PAGE, objSize: PAGE, count: 1 },
          capAddr(4, 7),
        ),
      ),
    ).toBe("OK");
    const before = kernel.mdb.count;
    expect(code(cspace.delete(rootSlot(4)))).toBe("OK");
    expect(kernel.mdb.count).toBe(before - 4);
    expect(kernel.mdb.check()).toBeNull();
    expect(code(frames(cspace, 16384 + 2 * PAGE, 1, 30))).toBe("OK");
  });

  test("the last local copy of a cap with remote copies goes through the monitor", () => {
    const { cspace, kernel } = bootSmall();
    expect(code(frames(cspace, 0, 1, 20))).toBe("OK");
    kernel.s.setFlags(cte(cspace, a(20)), FLAG_REMOTE_COPIES);
    expect(code(cspace.delete(a(20)))).toBe("RETRY_THROUGH_MONITOR");
    expect(code(cspace.revoke(a(20)))).toBe("RETRY_THROUGH_MONITOR");
    expect(code(cspace.copy(a(20), a(21)))).toBe("OK");
    expect(code(cspace.delete(a(20)))).toBe("OK"); // not the last local copy
    expect(code(cspace.delete(a(21), { fromMonitor: true }))).toBe("OK");
    expect(code(frames(cspace, PAGE, 1, 22))).toBe("OK");
    kernel.s.setFlags(cte(cspace, a(22)), FLAG_LOCKED);
    expect(code(cspace.delete(a(22)))).toBe("CAP_LOCKED");
    expect(code(cspace.revoke(a(22)))).toBe("CAP_LOCKED");
  });

  test("revoke deletes every copy and descendant and keeps the invoked cap", () => {
    const { cspace, kernel } = bootSmall();
    expect(
      code(cspace.retype(BOOT_SLOTS.ram, { type: "RAM", offset: 0, objSize: 64 * PAGE, count: 1 }, a(20))),
    ).toBe("OK");
    expect(code(cspace.copy(a(20), a(21)))).toBe("OK");
    expect(code(cspace.retype(a(20), { type: "Frame", offset: 0, objSize: PAGE, count: 4 }, a(30)))).toBe(
      "OK",
    );
    expect(code(cspace.retype(a(30), { type: "Frame", offset: 0, objSize: PAGE / 2, count: 1 }, a(40)))).toBe(
      "INVALID_SIZE",
    );
    expect(code(cspace.copy(a(31), a(41)))).toBe("OK");
    const r = cte(cspace, a(20));
    expect(kernel.mdb.hasDescendants(r)).toBe(true);
    expect(kernel.mdb.hasAncestors(cte(cspace, a(31)))).toBe(true);
    expect(code(cspace.revoke(a(20)))).toBe("OK");
    expect(kernel.mdb.hasDescendants(r)).toBe(false);
    expect(kernel.mdb.hasCopies(r)).toBe(false);
    for (const l2 of [21, 30, 31, 32, 33, 41]) expect(code(cspace.identify(a(l2)))).toBe("CAP_NOT_FOUND");
    expect(code(cspace.identify(a(20)))).toBe("OK");
    expect(kernel.mdb.hasAncestors(r)).toBe(true);
    expect(kernel.mdb.check()).toBeNull();
  });
});
