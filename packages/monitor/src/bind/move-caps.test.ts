import { CapRef } from "@shoal/runtime";
import { describe, expect, it } from "vitest";
import { moveCaps } from "./move-caps.js";

describe("moveCaps", () => {
  const a = new CapRef("a");
  const b = new CapRef("b");
  const moved = new Map<CapRef, CapRef>([
    [a, new CapRef("a'")],
    [b, new CapRef("b'")],
  ]);
  const move = (r: CapRef) => moved.get(r) ?? r;

  it("replaces caps at the top, in structs and in arrays, copying only what changes", () => {
    const bytes = new Uint8Array([1, 2]);
    const value = [1, a, { id: 3, frame: b, inner: { bytes } }, "s"];
    const out = moveCaps(value, move) as unknown[];
    expect(out).not.toBe(value);
    expect(out[1]).toBe(moved.get(a));
    const struct = out[2] as { id: number; frame: CapRef; inner: { bytes: Uint8Array } };
    expect(struct.frame).toBe(moved.get(b));
    expect(struct.inner.bytes).toBe(bytes);
    // The sender's values are untouched.
    expect(value[1]).toBe(a);
    expect((value[2] as { frame: CapRef }).frame).toBe(b);
  });

  it("returns a value without caps as it is", () => {
    const value = { x: 1, y: [2, 3], z: { w: "q" } };
    expect(moveCaps(value, move)).toBe(value);
  });
});
