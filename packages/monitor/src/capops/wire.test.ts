import { describe, expect, it } from "vitest";
import { parseCapMessage } from "./wire.js";

describe("capops messages from a peer", () => {
  it("accepts a well-formed message", () => {
    const m = {
      kind: "revoke_mark",
      op: "1:4",
      cap: { type: "Frame", base: 4096, size: 4096, rights: 31, badge: 0 },
    };
    expect(parseCapMessage(JSON.stringify(m))).toEqual(m);
  });

  it.each([
    ["not JSON", "{"],
    ["an unknown kind", JSON.stringify({ kind: "format_disk", op: "0:1" })],
    ["a bad op id", JSON.stringify({ kind: "revoke_ready", op: "x" })],
    ["a cap without base", JSON.stringify({ kind: "move_find", op: "0:1", cap: { type: "Frame", size: 1 } })],
    [
      "relations out of range",
      JSON.stringify({ kind: "retrieve_result", op: "0:1", error: null, relations: 99 }),
    ],
  ])("refuses %s with a reason", (_what, json) => {
    expect(typeof parseCapMessage(json)).toBe("string");
  });
});
