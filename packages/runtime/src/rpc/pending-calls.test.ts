import { describe, expect, it } from "vitest";
import { PendingCalls } from "./pending-calls.js";

describe("PendingCalls", () => {
  it("settles a lone call by token and response number, once", async () => {
    const calls = new PendingCalls();
    const t = calls.next();
    expect(t).not.toBe(0);
    const p = calls.expect<string>(t, 6);
    expect(calls.settle(t, 7, "wrong number")).toBe(false);
    expect(calls.settle(t + 1, 6, "wrong token")).toBe(false);
    expect(calls.settle(t, 6, "ok")).toBe(true);
    expect(calls.settle(t, 6, "again")).toBe(false);
    await expect(p).resolves.toBe("ok");
  });

  it("keeps overlapping calls apart and settles them out of order", async () => {
    const calls = new PendingCalls();
    const tokens = [calls.next(), calls.next(), calls.next()];
    expect(new Set(tokens).size).toBe(3);
    const ps = tokens.map((t, i) => calls.expect<number>(t, 6 + i));
    expect(calls.settle(tokens[2] as number, 8, 30)).toBe(true);
    expect(calls.settle(tokens[0] as number, 6, 10)).toBe(true);
    expect(calls.settle(tokens[1] as number, 7, 20)).toBe(true);
    await expect(Promise.all(ps)).resolves.toEqual([10, 20, 30]);
  });

  it("fails one call, or all of them, with the given error", async () => {
    const calls = new PendingCalls();
    const a = calls.expect(calls.next(), 6);
    const tb = calls.next();
    const b = calls.expect(tb, 6);
    const c = calls.expect(calls.next(), 6);
    calls.fail(tb, new Error("handler failed"));
    await expect(b).rejects.toThrow("handler failed");
    calls.failAll(new Error("closed"));
    await expect(a).rejects.toThrow("closed");
    await expect(c).rejects.toThrow("closed");
  });

  it("hands out distinct non-zero tokens, never the one still pending", () => {
    const calls = new PendingCalls();
    const first = calls.next();
    void calls.expect(first, 6);
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      const t = calls.next();
      expect(t).not.toBe(0);
      expect(t).not.toBe(first);
      seen.add(t);
    }
    expect(seen.size).toBe(100_000);
  });
});
