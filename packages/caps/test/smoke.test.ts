import { expect, test } from "vitest";
import { capAddr } from "../src/cspace/address.js";
import { BOOT_SLOTS, bootSmall } from "./helpers.js";

test("smoke", () => {
  const { cspace, kernel } = bootSmall();
  expect(kernel.mdb.check()).toBeNull();
  const r = cspace.retype(
    BOOT_SLOTS.ram,
    { type: "Frame", offset: 0, objSize: 4096, count: 4 },
    capAddr(0, 20),
  );
  expect(r).toEqual({ ok: true, value: undefined });
  expect(cspace.identify(capAddr(0, 21))).toMatchObject({ ok: true, value: { type: "Frame", size: 4096 } });
  expect(
    cspace.retype(BOOT_SLOTS.ram, { type: "Frame", offset: 4096, objSize: 8192, count: 1 }, capAddr(0, 30)),
  ).toMatchObject({ code: "RETYPE_OVERLAP" });
  expect(cspace.copy(capAddr(0, 20), capAddr(0, 40)).ok).toBe(true);
  expect(cspace.delete(capAddr(0, 40)).ok).toBe(true);
  expect(cspace.revoke(BOOT_SLOTS.ram).ok).toBe(true);
  expect(kernel.mdb.check()).toBeNull();
  expect(cspace.identify(capAddr(0, 21))).toMatchObject({ code: "CAP_NOT_FOUND" });
});
