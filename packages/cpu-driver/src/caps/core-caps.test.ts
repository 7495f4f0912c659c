import { describe, expect, it } from "vitest";
import { CpuDriver } from "../cpu-driver.js";

const MiB = 1 << 20;

function driver(): CpuDriver {
  const memory = new SharedArrayBuffer(8 * MiB);
  return new CpuDriver(
    { core: 0, cores: 2, memory, ram: { base: MiB, bytes: 4 * MiB } },
    { overrun: () => {}, fault: () => {} },
  );
}

describe("the RAM of a core", () => {
  it("a deleted frame's bytes are the next allocation's at once", () => {
    const cpu = driver();
    const sys = cpu.syscalls(cpu.createDispatcher("t", 0, () => {}).id);
    const a = sys.allocFrame(4096);
    const base = sys.identify(a).base;
    void sys.delete(a);
    expect(sys.identify(sys.allocFrame(4096)).base).toBe(base);
  });

  it("a region with copies elsewhere stays out of reuse until reclaimed, and is freed once", () => {
    const cpu = driver();
    const sys = cpu.syscalls(cpu.createDispatcher("t", 0, () => {}).id);
    const a = sys.allocFrame(4096);
    const { base, size } = sys.identify(a);
    const cte = sys.caps.cspace.lookup(sys.slotOf(a)) as number;
    const rec = sys.exportCap(a);
    expect(rec).toMatchObject({ owner: 0, relations: 1, from: 0 });
    // The cap's CTE goes (as when ownership moved to the core holding the copy) ...
    cpu.ram.kernel.mdb.remove(cte);
    cpu.ram.kernel.s.clear(cte);
    expect(cpu.ram.release(base, size)).toBe(false);
    expect(cpu.ram.usedByType().Shared).toBe(4096);
    // ... and only the word that the last copy anywhere is gone gives the bytes back, once.
    expect(cpu.ram.reclaim(base, size)).toBe(true);
    expect(cpu.ram.usedByType().Shared).toBeUndefined();
    expect(cpu.ram.release(base, size)).toBe(false);
    expect(cpu.ram.reclaim(base, size)).toBe(false);
  });

  it("another core's RAM is not this core's to keep out of reuse", () => {
    const cpu = driver();
    cpu.ram.markShared(6 * MiB, 4096);
    expect(cpu.ram.usedByType().Shared).toBeUndefined();
  });
});
