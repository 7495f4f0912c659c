import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LazyPart } from "./lazy-part.js";

/** A part whose load the test finishes by hand. */
function manual<T>(): {
  part: LazyPart<T>;
  finish: (v: T) => void;
  fail: (e: Error) => void;
  loads: () => number;
  errors: unknown[];
} {
  let resolve: (v: T) => void = () => {};
  let reject: (e: Error) => void = () => {};
  let loads = 0;
  const errors: unknown[] = [];
  const part = new LazyPart<T>(
    () => {
      loads++;
      return new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
    },
    (e) => errors.push(e),
  );
  return { part, finish: (v) => resolve(v), fail: (e) => reject(e), loads: () => loads, errors };
}

describe("LazyPart", () => {
  it("queues work that comes while the part loads and runs it in order before later work", async () => {
    const { part, finish, loads } = manual<string[]>();
    const log: string[] = [];
    part.use((l) => l.push("a"));
    part.whenLoaded((l) => l.push("b"));
    part.use((l) => l.push("c"));
    expect(loads()).toBe(1);
    expect(part.loaded).toBeUndefined();
    finish(log);
    const got = await part.get();
    expect(got).toBe(log);
    part.use((l) => l.push("d"));
    // Loaded: runs at once.
    expect(log).toEqual(["a", "b", "c", "d"]);
  });

  it("whenLoaded does not load; the work runs when someone else loads the part", async () => {
    const { part, finish, loads } = manual<string[]>();
    const log: string[] = [];
    part.whenLoaded((l) => l.push("died 3"));
    await Promise.resolve();
    expect(loads()).toBe(0);
    const p = part.get();
    part.use((l) => l.push("msg"));
    finish(log);
    await p;
    expect(log).toEqual(["died 3", "msg"]);
  });

  it("work queued by queued work runs after it, before the part counts as loaded", async () => {
    const { part, finish } = manual<string[]>();
    const log: string[] = [];
    part.use((l) => {
      l.push("first");
      expect(part.loaded).toBeUndefined();
      part.use((m) => m.push("nested"));
    });
    part.use((l) => l.push("second"));
    finish(log);
    await part.get();
    expect(log).toEqual(["first", "second", "nested"]);
  });

  it("a failed load reports, drops the queued work and loads again on the next use", async () => {
    const { part, fail, finish, loads, errors } = manual<string[]>();
    const log: string[] = [];
    part.use((l) => l.push("lost"));
    fail(new Error("no code"));
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toHaveLength(1);
    part.use((l) => l.push("kept"));
    expect(loads()).toBe(2);
    finish(log);
    await part.get();
    expect(log).toEqual(["kept"]);
  });

  it("now() throws before the load and returns the part after it", async () => {
    const { part, finish } = manual<number[]>();
    expect(() => part.now()).toThrow();
    const v = [1];
    const p = part.get();
    finish(v);
    expect(await p).toBe(v);
    expect(part.now()).toBe(v);
  });

  it("any interleaving of messages and the load keeps arrival order", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { maxLength: 30 }), fc.nat(30), async (kinds, at) => {
        const { part, finish } = manual<number[]>();
        const log: number[] = [];
        const loadAt = Math.min(at, kinds.length);
        let loaded = false;
        const load = async (): Promise<void> => {
          const p = part.get();
          finish(log);
          await p;
          loaded = true;
        };
        for (let i = 0; i < kinds.length; i++) {
          if (i === loadAt) await load();
          if (kinds[i] === true) part.use((l) => l.push(i));
          else part.whenLoaded((l) => l.push(i));
        }
        if (!loaded) await load();
        expect(log).toEqual(kinds.map((_, i) => i));
      }),
    );
  });
});

describe("LazyPart.run", () => {
  it("starts its work in queue order, before work queued after it, and resolves with the result", async () => {
    const { part, finish } = manual<string[]>();
    const log: string[] = [];
    const r = part.run(async (l) => {
      l.push("round sent");
      await Promise.resolve();
      return l.length;
    });
    part.whenLoaded((l) => l.push("core died"));
    finish(log);
    expect(await r).toBe(2);
    expect(log).toEqual(["round sent", "core died"]);
  });

  it("rejects with what its work throws", async () => {
    const { part, finish } = manual<number>();
    const r = part.run(() => {
      throw new Error("refused");
    });
    finish(1);
    await expect(r).rejects.toThrow("refused");
  });
});
