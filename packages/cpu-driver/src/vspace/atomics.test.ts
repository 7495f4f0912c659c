import { RIGHT_GRANT, RIGHT_READ } from "@shoal/caps";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CpuDriver } from "../cpu-driver.js";
import type { Dcb } from "../dispatchers/dcb.js";
import { isKernelError, type KernelError } from "../errors.js";
import type { MappedMemory } from "./mapped-memory.js";

const MiB = 1 << 20;

/** Two cores' CPU drivers over one physical memory, as a booted machine has them. */
function twoCores(sliceMs = 20) {
  const memory = new SharedArrayBuffer(16 * MiB);
  const reports = { overruns: 0, overrun: () => reports.overruns++, fault: () => {} };
  const core = (n: number) =>
    new CpuDriver(
      { core: n, cores: 2, memory, ram: { base: (1 + 6 * n) * MiB, bytes: 6 * MiB } },
      reports,
      sliceMs,
    );
  return { a: core(0), b: core(1), reports };
}

function dispatcher(cpu: CpuDriver, faults: KernelError[] = []): Dcb {
  return cpu.createDispatcher("t", 0, (_d, e) => faults.push(e));
}

/** A frame of `pages` pages allocated on core a, mapped there and, through a cap record, on core b. */
function shared(pages = 2) {
  const { a, b, reports } = twoCores();
  const faults: KernelError[] = [];
  const da = dispatcher(a, faults);
  const db = dispatcher(b, faults);
  const sa = a.syscalls(da.id);
  const frame = sa.allocFrame(pages * 4096);
  const ma = sa.map(frame);
  const inTransit = b.transit.importCap(sa.exportCap(frame));
  const mb = b.syscalls(db.id).map(b.receiveCap(inTransit, db.id));
  return { a, b, da, db, sa, frame, ma, mb, faults, reports };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return isKernelError(e) ? e.code : `untyped ${String(e)}`;
  }
  return "no error";
}

describe("atomics through the MMU", () => {
  it("act on the physical word: two cores' mappings of one frame see one coherent word", () => {
    const { ma, mb } = shared();
    expect(ma.store32(4100, 5)).toBe(5);
    expect(mb.add32(4100, 3)).toBe(5);
    expect(ma.sub32(4100, 1)).toBe(8);
    expect(mb.or32(4100, 0x10)).toBe(7);
    expect(ma.and32(4100, 0x13)).toBe(0x17);
    expect(mb.exchange32(4100, 42)).toBe(0x13);
    expect(ma.compareExchange32(4100, 41, 0)).toBe(42);
    expect(mb.compareExchange32(4100, 42, -1)).toBe(42);
    expect(ma.load32(4100)).toBe(-1);
    expect(mb.getUint32(4100)).toBe(0xffffffff);
  });

  it("agree with Atomics on a plain Int32Array for any sequence of operations (property)", () => {
    const op = fc.record({
      kind: fc.constantFrom("store", "add", "sub", "and", "or", "xchg", "cas", "load"),
      word: fc.integer({ min: 0, max: 2047 }),
      v: fc.integer(),
      side: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { ma, mb } = shared();
        const model = new Int32Array(2048);
        for (const o of ops) {
          const m: MappedMemory = o.side ? ma : mb;
          const off = o.word * 4;
          const [got, want] = (() => {
            switch (o.kind) {
              case "store":
                return [m.store32(off, o.v), Atomics.store(model, o.word, o.v)];
              case "add":
                return [m.add32(off, o.v), Atomics.add(model, o.word, o.v)];
              case "sub":
                return [m.sub32(off, o.v), Atomics.sub(model, o.word, o.v)];
              case "and":
                return [m.and32(off, o.v), Atomics.and(model, o.word, o.v)];
              case "or":
                return [m.or32(off, o.v), Atomics.or(model, o.word, o.v)];
              case "xchg":
                return [m.exchange32(off, o.v), Atomics.exchange(model, o.word, o.v)];
              case "cas": {
                const e = model[o.word] as number;
                return [m.compareExchange32(off, e, o.v), Atomics.compareExchange(model, o.word, e, o.v)];
              }
              default:
                return [m.load32(off), Atomics.load(model, o.word)];
            }
          })();
          if (got !== want) return false;
        }
        return model.every((v, i) => ma.load32(i * 4) === v && mb.load32(i * 4) === v);
      }),
      { numRuns: 50 },
    );
  });

  it("fault typed on a misaligned, out-of-range, read-only or unmapped word, never untyped", () => {
    const { ma, sa, frame, faults } = shared();
    expect(code(() => ma.load32(2))).toBe("ALIGNMENT_FAULT");
    expect(code(() => ma.add32(4099, 1))).toBe("ALIGNMENT_FAULT");
    expect(code(() => ma.wait32(6, 0, 0))).toBe("ALIGNMENT_FAULT");
    expect(code(() => ma.notify32(1))).toBe("ALIGNMENT_FAULT");
    expect(code(() => ma.load32(2 * 4096))).toBe("PAGE_FAULT");
    expect(code(() => ma.store32(-4, 1))).toBe("PAGE_FAULT");
    expect(code(() => ma.load32(1.5))).toBe("PAGE_FAULT");
    const ro = sa.map(sa.mint(frame, RIGHT_READ | RIGHT_GRANT), { write: false });
    ma.store32(8, 9);
    expect(ro.load32(8)).toBe(9);
    expect(code(() => ro.add32(8, 1))).toBe("PAGE_FAULT");
    expect(code(() => ro.compareExchange32(8, 9, 0))).toBe("PAGE_FAULT");
    sa.unmap(ma);
    expect(code(() => ma.load32(8))).toBe("PAGE_FAULT");
    expect(code(() => ma.notify32(8))).toBe("PAGE_FAULT");
    expect(faults.map((f) => f.code)).toEqual([
      "ALIGNMENT_FAULT",
      "ALIGNMENT_FAULT",
      "ALIGNMENT_FAULT",
      "ALIGNMENT_FAULT",
      "PAGE_FAULT",
      "PAGE_FAULT",
      "PAGE_FAULT",
      "PAGE_FAULT",
      "PAGE_FAULT",
      "PAGE_FAULT",
      "PAGE_FAULT",
    ]);
  });

  it("wake a waiter on one core from a notify on the other (waitAsync32 / notify32 on the physical word)", async () => {
    const { ma, mb } = shared();
    expect(ma.wait32(64, 1, 0)).toBe("not-equal");
    expect(await ma.waitAsync32(64, 1)).toBe("not-equal");
    expect(await ma.waitAsync32(64, 0, 1)).toBe("timed-out");
    const waiting = ma.waitAsync32(64, 0);
    const other = mb.waitAsync32(64, 0);
    mb.store32(64, 1);
    // Both wait on one physical word: a notify through either mapping wakes both.
    expect(mb.notify32(64)).toBe(2);
    expect(await waiting).toBe("ok");
    expect(await other).toBe("ok");
    expect(ma.notify32(64)).toBe(0);
  });

  it("give direct windows on a contiguous frame that alias the mapped bytes", () => {
    const { ma, mb } = shared(3);
    const f = ma.float64Window(4096 - 16, 600) as Float64Array;
    expect(f).toBeInstanceOf(Float64Array);
    f[0] = 1.5;
    f[599] = -2;
    const bits = new DataView(new Float64Array([1.5]).buffer).getBigUint64(0, true);
    expect(mb.getBigUint64(4096 - 16)).toBe(bits);
    const i = mb.int32Window(0, 3 * 1024) as Int32Array;
    i[5] = 77;
    expect(ma.load32(20)).toBe(77);
    expect(code(() => ma.float64Window(4, 1))).toBe("ALIGNMENT_FAULT");
    expect(code(() => ma.int32Window(0, 3 * 1024 + 1))).toBe("PAGE_FAULT");
  });
});

describe("a dispatcher blocked on a futex word", () => {
  it("is blocked, not running and not overrunning, while a blocking wait sleeps past the slice", () => {
    const { a, da, ma, reports } = shared();
    const seen: string[] = [];
    a.upcalls.run(da, "run", () => {
      seen.push(da.state);
      // 40 ms asleep in Atomics.wait: twice the 20 ms slice.
      expect(ma.wait32(0, 0, 40)).toBe("timed-out");
      seen.push(da.state);
    });
    expect(seen).toEqual(["running", "running"]);
    expect(da.overruns).toBe(0);
    expect(reports.overruns).toBe(0);
    expect(da.waits).toBe(1);
    expect(da.blockedMs).toBeGreaterThanOrEqual(39);
    expect(da.cpuMs).toBeLessThan(da.blockedMs);
  });

  it("shows blocked between upcalls while an asynchronous wait is pending, runnable once woken", async () => {
    const { a, da, ma, mb } = shared();
    let waiting: Promise<string> | undefined;
    a.upcalls.run(da, "run", () => {
      waiting = ma.waitAsync32(128, 0);
    });
    expect(da.state).toBe("blocked");
    expect(da.pendingWaits).toBe(1);
    // A message upcall runs it meanwhile, and it goes back to blocked after.
    a.upcalls.run(da, "message", () => expect(da.state).toBe("running"));
    expect(da.state).toBe("blocked");
    mb.store32(128, 1);
    mb.notify32(128);
    expect(await waiting).toBe("ok");
    expect(da.state).toBe("runnable");
    expect(da.pendingWaits).toBe(0);
    expect(da.overruns).toBe(0);
  });
});
