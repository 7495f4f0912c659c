import { afterEach, describe, expect, it } from "vitest";
import { isThreadsError, SabMemory, ThreadSystem } from "../src/index.js";

const module = new URL("./workers/thread-entries.mjs", import.meta.url);
const entry = (name: string) => ({ module, name });
let sys: ThreadSystem | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

describe("ThreadSystem", () => {
  it("joins with the exit code a thread returns or passes to exit()", async () => {
    sys = await ThreadSystem.start({ cores: 2 });
    expect(await sys.create(entry("exitCode"), 3, { core: 1 }).join()).toEqual({ code: 3, value: 3 });
    expect((await sys.create(entry("exitEarly")).join()).code).toBe(7);
  });

  it("reports a thread's error to its joiner, with name, message and the thread's stack", async () => {
    sys = await ThreadSystem.start({ cores: 1 });
    const err = await sys
      .create(entry("thrower"))
      .join()
      .catch((e: unknown) => e);
    expect(isThreadsError(err, "THREAD_FAILED")).toBe(true);
    expect(String(err)).toMatch(/TypeError: bad input 42/);
    expect((err as Error).stack).toMatch(/in the thread[\s\S]*thread-entries\.mjs/);
  });

  it("keeps thread-local storage per thread across yields of 4 threads on one core", async () => {
    sys = await ThreadSystem.start({ cores: 1 });
    const hs = [1, 2, 3, 4].map(() => sys?.create(entry("tls"), 200));
    const got = await Promise.all(hs.map((h) => h?.join()));
    expect(got.map((g) => g?.value)).toEqual([200, 200, 200, 200]);
  });

  it.each([2, 8])("creates and joins across %i cores from inside a thread", async (cores) => {
    sys = await ThreadSystem.start({ cores });
    const r = await sys.create(entry("spawner"), cores, { core: cores - 1 }).join();
    expect(r.value).toEqual({ cores: Array.from({ length: cores }, (_, c) => c) });
    expect(sys.live()).toBe(0);
  });

  it("propagates a cross-core thread's error to a joining thread", async () => {
    sys = await ThreadSystem.start({ cores: 2 });
    const r = await sys.create(entry("joinsAThrower")).join();
    expect(r.value).toMatchObject({ caught: "THREAD_FAILED" });
    expect((r.value as { message: string }).message).toMatch(/bad input 42/);
  });

  it("refuses to join a detached thread, or one twice, and forgets detached threads when they end", async () => {
    sys = await ThreadSystem.start({ cores: 1 });
    const h = sys.create(entry("sleeper"), 20);
    h.detach();
    await expect(h.join()).rejects.toThrow(/DETACHED/);
    const k = sys.create(entry("exitCode"), 0);
    const first = k.join();
    await expect(k.join()).rejects.toThrow(/ALREADY_JOINED/);
    await first;
    await new Promise((r) => setTimeout(r, 100));
    expect(sys.live()).toBe(0);
  });

  it("sleeps without holding the core", async () => {
    sys = await ThreadSystem.start({ cores: 1 });
    const slow = sys.create(entry("sleeper"), 50);
    const fast = sys.create(entry("exitCode"), 5);
    expect((await fast.join()).code).toBe(5);
    expect(((await slow.join()).value as { slept: number }).slept).toBeGreaterThanOrEqual(45);
  });

  it("keeps a shared counter exact under the async mutex from threads on 2 cores", async () => {
    sys = await ThreadSystem.start({ cores: 2 });
    const mem = SabMemory.allocate(128);
    const arg = { memory: mem.share(), n: 5000 };
    const hs = [0, 0, 1, 1].map((core) => sys?.create(entry("mutexAdder"), arg, { core }));
    await Promise.all(hs.map((h) => h?.join()));
    expect(mem.getInt32(64)).toBe(20_000);
  });

  it("refuses a core it does not have", async () => {
    sys = await ThreadSystem.start({ cores: 1 });
    expect(() => sys?.create(entry("exitCode"), 0, { core: 3 })).toThrow(/BAD_ARGUMENT/);
    await expect(ThreadSystem.start({ cores: 0 })).rejects.toThrow(/BAD_ARGUMENT/);
  });
});
