import { fileURLToPath } from "node:url";
import { Machine } from "@shoal/monitor";
import { describe, expect, it } from "vitest";
import { isThreadsError } from "../src/errors.js";
import type { CgResult } from "../src/nas/cg.js";
import { cgLayout } from "../src/nas/cg.js";
import { CG_CLASSES } from "../src/nas/classes.js";
import type { IsResult } from "../src/nas/is.js";
import { isLayout } from "../src/nas/is.js";
import { runOnOs } from "../src/os/run-os.js";

// The team on booted cores: one dispatcher per core, all of one domain (the master on core 0 spans a
// member dispatcher to each other core; they share its address space and see the team's frames
// through their own cores' MMUs), bomp.if bindings between the dispatchers. Mode "domains" runs the
// members as domains of their own, passed the frames as caps. Every run boots its own machine and
// halts it (runOnOs does, whatever happens).
const REGIONS = new URL("./workers/os-regions.mjs", import.meta.url).href;

describe("primitives under contention across the dispatchers of one domain on 4 booted cores", () => {
  it("keep mutual exclusion, lose no wake-up, and never mix barrier generations", async () => {
    const n = 20_000;
    const items = 3_000;
    const { values, domains } = await runOnOs({
      cores: 4,
      dataBytes: 16 * 4096,
      jobs: [
        { module: REGIONS, name: "osMutex", arg: { n }, zero: true },
        { module: REGIONS, name: "osBarrier", arg: { n: 1_000 }, zero: true },
        { module: REGIONS, name: "osSemaphore", arg: { n: items }, zero: true },
        { module: REGIONS, name: "osCondVar", arg: { n: items }, zero: true },
      ],
    });
    // One domain: every member is a dispatcher of the master's domain.
    expect(new Set(domains).size).toBe(1);
    expect(domains).toHaveLength(4);
    const [mutex, barrier, sem, cond] = values as number[][];
    // Every member saw the final count after the barrier: exactly 4 n.
    expect(mutex).toEqual([4 * n, 4 * n, 4 * n, 4 * n]);
    expect(barrier).toEqual([0, 0, 0, 0]);
    // Two producers send 1..items each; the two consumers together receive every item exactly once.
    const total = items * (items + 1);
    for (const got of [sem, cond] as number[][]) {
      expect(got[0]).toBe(0);
      expect(got[2]).toBe(0);
      expect((got[1] as number) + (got[3] as number)).toBe(total);
    }
  });

  it("report a member's throw to the caller, typed, and still halt the machine", async () => {
    const run = runOnOs({
      cores: 2,
      dataBytes: 4096,
      jobs: [{ module: REGIONS, name: "osThrows", arg: {} }],
    });
    const e = await run.catch((x: unknown) => x);
    expect(isThreadsError(e, "THREAD_FAILED")).toBe(true);
    expect(String((e as Error).message)).toMatch(/team member 1: RangeError: member 1 gave up/);
  });

  it("keep mutual exclusion between domains of their own that share the team's frames as caps", async () => {
    const n = 20_000;
    const { values, domains } = await runOnOs({
      mode: "domains",
      cores: 2,
      dataBytes: 4096 * 2,
      jobs: [{ module: REGIONS, name: "osMutex", arg: { n }, zero: true }],
    });
    expect(values[0]).toEqual([2 * n, 2 * n]);
    expect(new Set(domains).size).toBe(2);
  });

  it("run a team of one (the master alone) and refuse more members than cores", async () => {
    const one = await runOnOs({
      cores: 1,
      dataBytes: 4096 * 2,
      jobs: [{ module: REGIONS, name: "osMutex", arg: { n: 1000 }, zero: true }],
    });
    expect(one.values).toEqual([[1000]]);
  });

  it("refuse more members than cores (a member blocks its core while it waits)", async () => {
    const e = await runOnOs({ cores: 2, threads: 3, dataBytes: 4096, jobs: [] }).catch((x: unknown) => x);
    expect(isThreadsError(e, "BAD_ARGUMENT")).toBe(true);
  });
});

describe("NAS class S on the OS, 2 cores", () => {
  it("IS passes partial and full verification and CG verifies zeta", async () => {
    const is = new URL("../dist/src/nas/is.js", import.meta.url).href;
    const cg = new URL("../dist/src/nas/cg.js", import.meta.url).href;
    const { values } = await runOnOs({
      cores: 2,
      dataBytes: Math.max(isLayout("S", 2).bytes, cgLayout("S").bytes),
      jobs: [
        { module: is, name: "isRegion", arg: { cls: "S" }, zero: true },
        { module: cg, name: "cgRegion", arg: { cls: "S" }, zero: true },
      ],
    });
    const isr = values[0]?.[0] as IsResult;
    expect(isr.passed).toBe(51);
    expect(isr.verified).toBe(true);
    const cgr = values[1]?.[0] as CgResult;
    expect(cgr.verified).toBe(true);
    expect(Math.abs(cgr.zeta - CG_CLASSES.S.zeta)).toBeLessThan(1e-9);
  });
});

describe("a dispatcher waiting on a futex word", () => {
  it("is shown blocked by ps while its asynchronous wait is pending, and its core keeps serving", async () => {
    let waiting: (() => void) | undefined;
    const pending = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const machine = await Machine.boot({
      cores: 2,
      console: (line) => {
        if (line.includes("blocked-domain") && line.includes("waiting")) waiting?.();
      },
    });
    try {
      const path = fileURLToPath(new URL("./workers/blocked-domain.mjs", import.meta.url));
      const child = await machine.spawn(path, { core: 1 });
      await pending;
      // ps goes through core 1's monitor: it answers while the domain waits.
      const row = (await machine.ps()).find((r) => r.id === child.id);
      expect(row?.state).toBe("blocked");
      expect(row?.overruns).toBe(0);
      expect((await machine.ping(1, 0, 3)).count).toBe(3);
    } finally {
      await machine.halt();
    }
  });
});

describe("threads on the OS: a thread scheduler per core as dispatchers of one domain", () => {
  it("creates and joins across 3 cores, keeps TLS per thread and reports errors to joiners", async () => {
    let got: ((line: string) => void) | undefined;
    const report = new Promise<string>((resolve) => {
      got = resolve;
    });
    const machine = await Machine.boot({
      cores: 3,
      console: (line) => {
        const at = line.indexOf("THREADS-APP ");
        if (at >= 0) got?.(line.slice(at + "THREADS-APP ".length));
      },
    });
    try {
      await machine.spawn(fileURLToPath(new URL("./workers/os-threads-app.mjs", import.meta.url)), {
        core: 0,
      });
      const r = JSON.parse(await report) as Record<string, unknown>;
      expect(r.error).toBeUndefined();
      expect(r.exit).toEqual({ code: 3, value: 3 });
      expect(r.exitEarly).toBe(7);
      expect(r.spawner).toEqual({ cores: [0, 1, 2] });
      expect(r.tls).toEqual([50, 50, 50]);
      expect(r.thrower).toMatch(/^THREAD_FAILED .*TypeError: bad input 42/);
      expect(r.joinsAThrower).toMatchObject({ caught: "THREAD_FAILED" });
      expect(r.live).toBe(0);
    } finally {
      await machine.halt();
    }
  });
});
