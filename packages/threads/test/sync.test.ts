import { describe, expect, it } from "vitest";
import {
  Barrier,
  CondVar,
  isThreadsError,
  Mutex,
  RwLock,
  SabMemory,
  Semaphore,
  ThreadsError,
  TicketMutex,
} from "../src/index.js";
import { runWorkers } from "./run-workers.js";

const DATA = 4096;
const fresh = () => SabMemory.allocate(8192);

describe("Mutex", () => {
  it("takes the uncontended path with one CAS and refuses unlock by a non-holder", () => {
    const mem = fresh();
    const m = new Mutex(mem, 0);
    expect(m.tryLock()).toBe(true);
    expect(m.tryLock()).toBe(false);
    expect(mem.load32(0)).toBe(1);
    m.unlock();
    expect(mem.load32(0)).toBe(0);
    expect(() => m.unlock()).toThrow(ThreadsError);
    expect(mem.load32(0)).toBe(0);
  });

  it("keeps mutual exclusion over 2 million increments from 4 worker threads", async () => {
    const mem = fresh();
    await runWorkers("mutex", 4, 500_000, mem.share());
    expect(mem.getInt32(DATA)).toBe(2_000_000);
    expect(mem.load32(0)).toBe(0);
  });

  it("lets an event-loop thread wait without blocking (lockAsync)", async () => {
    const mem = fresh();
    const m = new Mutex(mem, 0);
    m.lock();
    let got = false;
    const p = m.lockAsync().then(() => {
      got = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toBe(false);
    m.unlock();
    await p;
    expect(got).toBe(true);
    m.unlock();
  });
});

describe("TicketMutex", () => {
  it("grants the lock in arrival order (FIFO)", async () => {
    const mem = fresh();
    const t = new TicketMutex(mem, 0, 0);
    t.lock();
    const order: string[] = [];
    // Each lockAsync takes its ticket synchronously, so the arrival order is the call order.
    const waiters = ["a", "b", "c"].map((name) =>
      t.lockAsync().then(() => {
        order.push(name);
        setTimeout(() => t.unlock(), 5);
      }),
    );
    t.unlock();
    await Promise.all(waiters);
    expect(order).toEqual(["a", "b", "c"]);
  });

  it("keeps mutual exclusion between 2 workers", async () => {
    const mem = fresh();
    await runWorkers("ticket", 2, 20_000, mem.share());
    expect(mem.getInt32(DATA)).toBe(40_000);
  });
});

describe("Semaphore", () => {
  it("loses no wake-up in a bounded producer/consumer ring (2 producers, 2 consumers)", async () => {
    const mem = fresh();
    new Semaphore(mem, 64).init(8);
    const n = 20_000;
    const r = await runWorkers("semaphore", 4, n, mem.share());
    // Each consumer took n items; together they saw each producer's 1..n once.
    expect((r[2] ?? 0) + (r[3] ?? 0)).toBe(2 * ((n * (n + 1)) / 2));
  });

  it("rejects a bad initial count", () => {
    expect(() => new Semaphore(fresh(), 0).init(-1)).toThrow(/BAD_ARGUMENT/);
  });
});

describe("CondVar", () => {
  it("loses no wake-up in a 4-slot queue (2 producers, 2 consumers, signal)", async () => {
    const mem = fresh();
    const n = 20_000;
    const r = await runWorkers("condvar", 4, n, mem.share());
    expect((r[2] ?? 0) + (r[3] ?? 0)).toBe(2 * ((n * (n + 1)) / 2));
  });

  it("waitAsync returns after a signal on an event-loop thread", async () => {
    const mem = fresh();
    const m = new Mutex(mem, 0);
    const cv = new CondVar(mem, 64, 0);
    m.lock();
    const p = cv.waitAsync(m);
    expect(m.tryLock()).toBe(true); // waitAsync released it
    cv.signal();
    m.unlock();
    await p;
    expect(mem.load32(0)).not.toBe(0); // re-acquired
    m.unlock();
  });
});

describe("RwLock", () => {
  it("never lets a reader see a half-done write (1 writer, 2 readers)", async () => {
    const mem = fresh();
    const r = await runWorkers("rwlock", 3, 20_000, mem.share());
    expect(r).toEqual([0, 0, 0]);
    expect(mem.getInt32(DATA)).toBe(20_000);
  });

  it("prefers writers: readers that always overlap cannot starve one", async () => {
    const mem = fresh();
    const r = await runWorkers("rwlock-writer-progress", 3, 0, mem.share());
    expect(mem.load32(DATA)).toBe(1);
    expect(r.slice(1).every((x) => x > 0)).toBe(true);
  });

  it("refuses unbalanced unlocks", () => {
    const rw = new RwLock(fresh(), 0);
    expect(() => rw.readUnlock()).toThrow(/NOT_OWNER/);
    expect(() => rw.writeUnlock()).toThrow(/NOT_OWNER/);
    rw.readLock();
    expect(rw.tryReadLock()).toBe(true);
    rw.readUnlock();
    rw.readUnlock();
  });
});

describe("Barrier", () => {
  it("never mixes generations over 2000 rounds of 4 workers", async () => {
    const mem = fresh();
    const r = await runWorkers("barrier", 4, 2000, mem.share());
    expect(r).toEqual([0, 0, 0, 0]);
    expect(new Barrier(mem, 0, 4).generation()).toBe(2000);
  });

  it("releases an event-loop party with the workers' help and names one last arriver", async () => {
    const mem = fresh();
    const b = new Barrier(mem, 0, 2);
    const p = b.arriveAsync();
    expect(b.arrive()).toBe(true);
    expect(await p).toBe(false);
  });

  it("rejects zero parties", () => {
    expect(() => new Barrier(fresh(), 0, 0)).toThrow(/BAD_ARGUMENT/);
  });
});

describe("SabMemory", () => {
  it("refuses misaligned and out-of-range offsets with BAD_OFFSET", () => {
    const mem = SabMemory.allocate(64);
    let err: unknown;
    try {
      mem.load32(2);
    } catch (e) {
      err = e;
    }
    expect(isThreadsError(err, "BAD_OFFSET")).toBe(true);
    expect(() => mem.getFloat64(64)).toThrow(/BAD_OFFSET/);
    expect(() => mem.writeFloat64(56, new Float64Array(2))).toThrow(/BAD_OFFSET/);
  });

  it("round-trips bulk copies and 64-bit atomics", () => {
    const mem = SabMemory.allocate(128);
    mem.writeFloat64(8, new Float64Array([1.5, -2.25]));
    const out = new Float64Array(2);
    mem.readFloat64(8, out);
    expect([...out]).toEqual([1.5, -2.25]);
    expect(mem.add64(64, 5n)).toBe(0n);
    expect(mem.compareExchange64(64, 5n, 7n)).toBe(5n);
    expect(mem.load64(64)).toBe(7n);
    expect(mem.wait32(0, 1, 0)).toBe("not-equal");
    expect(mem.wait32(0, 0, 0)).toBe("timed-out");
  });
});

describe("two mappings of one frame", () => {
  it("meet in one futex word when they map it at different offsets", async () => {
    // As two dispatchers mapping one frame at different virtual addresses: B's offset 0 is A's 4096.
    const buf = new SharedArrayBuffer(8192);
    const a = new SabMemory(buf, 0);
    const b = new SabMemory(buf, 4096);
    const semA = new Semaphore(a, 4096, 0);
    const semB = new Semaphore(b, 0, 0);
    const got = semB.acquireAsync();
    semA.release();
    await got;
    expect(semA.value()).toBe(0);
    const m = new Mutex(b, 64);
    m.lock();
    expect(new Mutex(a, 4096 + 64).tryLock()).toBe(false);
    m.unlock();
  });
});
