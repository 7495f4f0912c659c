import { describe, expect, it } from "vitest";
import { CORE_COUNTS, distributedReport, measure } from "../../bench/distributed.js";

describe("the distributed benchmark's counts", () => {
  it("revoke from the owner: 4 messages per remote core, 2 rounds, at every size", () => {
    for (const cores of [2, 4, 8])
      expect(measure(cores, "revoke_owner")).toMatchObject({
        ok: true,
        messages: 4 * (cores - 1),
        rounds: 2,
      });
  });

  it("revoke from a non-owner adds one retrieve round trip", () => {
    expect(measure(4, "revoke_remote")).toMatchObject({ ok: true, messages: 2 + 4 * 3, rounds: 3 });
  });

  it("retype from a non-owner: request, a check of every other core, result", () => {
    expect(measure(4, "retype_remote")).toMatchObject({ ok: true, messages: 2 + 2 * 3, rounds: 2 });
  });

  it("delete with a move: find, transfer, the new owner tells every other core", () => {
    expect(measure(4, "delete_move")).toMatchObject({ ok: true, messages: 3 * 3 + 1, rounds: 2 });
  });

  it("a copy between two non-owners goes through the owner", () => {
    expect(measure(4, "copy_remote")).toMatchObject({ ok: true, messages: 4, rounds: 2 });
    expect(measure(4, "copy_owner")).toMatchObject({ ok: true, messages: 2, rounds: 1 });
  });

  it("reports the JSON keys the issue names for every core count", async () => {
    const report = await distributedReport({ quick: true, log: () => {} });
    for (const cores of CORE_COUNTS) {
      for (const op of ["retype", "revoke"]) {
        expect(report.json[`distributed.${op}.${cores}.messages`]).toBeGreaterThan(0);
        expect(report.json[`distributed.${op}.${cores}.rounds`]).toBeGreaterThan(0);
      }
    }
    expect(report.json["distributed.revoke.32.messages"]).toBe(4 * 31);
    expect(report.json["distributed.revoke.32.rounds"]).toBe(2);
    expect(report.tables[0]?.rows.length).toBe(7 * CORE_COUNTS.length);
  });
});
