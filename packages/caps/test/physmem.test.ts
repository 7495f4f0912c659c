import { describe, expect, test } from "vitest";
import { isCapError } from "../src/errors.js";
import { MAX_MEMORY_SIZE, PhysicalMemory } from "../src/physmem/physical-memory.js";

describe("PhysicalMemory", () => {
  test("defaults to 256 MiB with aliased views", () => {
    const mem = new PhysicalMemory();
    expect(mem.size).toBe(256 * 1024 * 1024);
    mem.u32[10] = 0xdeadbeef;
    expect(mem.view.getUint32(40, true)).toBe(0xdeadbeef);
    expect(mem.u8[40]).toBe(0xef);
  });

  test("rejects sizes that are not positive multiples of 4 KiB", () => {
    for (const size of [0, -4096, 1000, 4096.5]) {
      expect(() => new PhysicalMemory({ size }), String(size)).toThrow(
        expect.objectContaining({ code: "INVALID_ARGUMENT" }),
      );
    }
  });

  test("refuses more than the maximum with NO_MEMORY", () => {
    try {
      new PhysicalMemory({ size: MAX_MEMORY_SIZE + 4096 });
      expect.unreachable();
    } catch (e) {
      expect(isCapError(e, "NO_MEMORY")).toBe(true);
    }
  });

  test("several GiB work (lazily zeroed): the last page is reachable and zeroing beyond 4 GiB works", () => {
    const size = 6 * 1024 * 1024 * 1024;
    const mem = new PhysicalMemory({ size });
    const last = size - 4096;
    mem.u32[last / 4] = 7;
    expect(mem.bytes(last, 4)[0]).toBe(7);
    mem.zero(last, 4096);
    expect(mem.u32[last / 4]).toBe(0);
    expect(mem.f64.length).toBe(size / 8);
  });

  test("wraps an existing buffer (another thread's view)", () => {
    const a = new PhysicalMemory({ size: 65536 });
    const b = new PhysicalMemory({ buffer: a.buffer });
    a.u32[3] = 42;
    expect(b.u32[3]).toBe(42);
    expect(b.contains(65536 - 4, 4)).toBe(true);
    expect(b.contains(65536 - 4, 8)).toBe(false);
  });
});
