import { isCapError, RIGHT_READ, RIGHTS_ALL } from "@shoal/caps";
import { CapRef } from "@shoal/runtime";
import { describe, expect, it } from "vitest";
import { CpuDriver } from "../cpu-driver.js";
import type { Dcb } from "../dispatchers/dcb.js";
import { isKernelError, type KernelError } from "../errors.js";

const MiB = 1 << 20;

function driver(): CpuDriver {
  const memory = new SharedArrayBuffer(8 * MiB);
  return new CpuDriver(
    { core: 0, cores: 1, memory, ram: { base: MiB, bytes: 4 * MiB } },
    { overrun: () => {}, fault: () => {} },
  );
}

function dispatcher(cpu: CpuDriver, faults: KernelError[] = []): Dcb {
  return cpu.createDispatcher("t", 0, (_d, e) => faults.push(e));
}

describe("system calls over a dispatcher's CSpace", () => {
  it("gives each dispatcher a CSpace with its Dispatcher and PML4 retyped from the core's RAM", () => {
    const cpu = driver();
    const before = cpu.ram.usedByType();
    const d = dispatcher(cpu);
    const rows = cpu.syscalls(d.id).list();
    expect(rows.map((r) => r.type)).toEqual(["CNode", "Dispatcher", "VNode_x86_64_pml4"]);
    const after = cpu.ram.usedByType();
    expect((after.Dispatcher ?? 0) - (before.Dispatcher ?? 0)).toBe(4096);
    expect((after.CNode ?? 0) - (before.CNode ?? 0)).toBe(2 * 16384);
    cpu.destroyDispatcher(d.id);
    expect(cpu.ram.usedByType()).toEqual(before);
  });

  it("allocates, maps and accesses a frame through the MMU; unmapped or out of range is a page fault", () => {
    const cpu = driver();
    const faults: KernelError[] = [];
    const sys = cpu.syscalls(dispatcher(cpu, faults).id);
    const f = sys.allocFrame(3 * 4096 + 1);
    expect(sys.identify(f)).toMatchObject({ type: "Frame", size: 4 * 4096 });
    expect(cpu.ram.usedByType().Frame).toBe(4 * 4096);
    const m = sys.map(f);
    m.setUint32(0, 0xc0ffee);
    m.setBigUint64(4094, 0x0102030405060708n);
    m.write(8190, new Uint8Array([1, 2, 3, 4, 5]));
    expect(m.getUint32(0)).toBe(0xc0ffee);
    expect(m.getBigUint64(4094)).toBe(0x0102030405060708n);
    expect([...m.read(8190, 5)]).toEqual([1, 2, 3, 4, 5]);
    const m2 = sys.map(f);
    expect(m2.getUint32(0)).toBe(0xc0ffee);
    expect(() => m.getUint8(4 * 4096)).toThrow(/page fault/);
    sys.unmap(m);
    expect(() => m.getUint32(0)).toThrow(/NOT_PRESENT/);
    expect(faults.every((e) => isKernelError(e, "PAGE_FAULT"))).toBe(true);
    expect(faults).toHaveLength(2);
    expect(m2.getUint32(0)).toBe(0xc0ffee);
  });

  it("refuses forged references, wrong types, deleted caps and missing rights, typed", () => {
    const cpu = driver();
    const a = cpu.syscalls(dispatcher(cpu).id);
    const b = cpu.syscalls(dispatcher(cpu).id);
    const f = a.allocFrame(4096);
    const code = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        return isKernelError(e) || isCapError(e) ? e.code : `untyped ${String(e)}`;
      }
      return "no error";
    };
    expect(code(() => a.map(7 as unknown as CapRef))).toBe("FORGED_CAP");
    expect(code(() => a.map(new CapRef("Frame cap at 0.8", f.slot)))).toBe("FORGED_CAP");
    expect(code(() => b.map(f))).toBe("FORGED_CAP");
    expect(code(() => a.map(a.dispatcherRef()))).toBe("CAP_TYPE");
    const ro = a.mint(f, RIGHT_READ);
    expect(code(() => a.map(ro, { write: true }))).toBe("CAP_RIGHTS");
    expect(code(() => a.transfer(ro, b))).toBe("CAP_RIGHTS");
    const g = a.transfer(f, b);
    const mb = b.map(g);
    a.map(f).setUint8(5, 42);
    expect(mb.getUint8(5)).toBe(42);
    a.delete(f);
    expect(code(() => a.identify(f))).toBe("CAP_NOT_FOUND");
    expect(b.identify(g).rights).toBe(RIGHTS_ALL);
  });
});
