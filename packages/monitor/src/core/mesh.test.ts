import type { Endpoint } from "@shoal/runtime";
import { describe, expect, it, vi } from "vitest";
import { bootLayout, meshRequests } from "../layout.js";
import { Mesh } from "./mesh.js";

// Two cores' meshes in one thread over one memory: the binding function only records what is bound,
// so the test sees exactly when each end is bound.
function meshOf(core: number, cores: number, memory: SharedArrayBuffer, bound: number[]): Mesh<string> {
  const layout = bootLayout(cores, memory.byteLength);
  const eps = Array.from({ length: cores }, (_, k) =>
    k === core ? null : ({ core: k } as unknown as Endpoint),
  );
  return new Mesh(core, memory, layout, eps, (_ep, k) => {
    bound.push(k);
    return `${core}-${k}`;
  });
}

describe("the lazily bound mesh", () => {
  it("binds nothing at boot, one end on first use, and the other end when the peer asks", async () => {
    const cores = 40;
    const memory = new SharedArrayBuffer(64 * 2 ** 20);
    const by0: number[] = [];
    const by35: number[] = [];
    const m0 = meshOf(0, cores, memory, by0);
    const m35 = meshOf(35, cores, memory, by35);
    try {
      expect(by0).toEqual([]);
      expect(m0.peer(35)).toBe("0-35");
      expect(by0).toEqual([35]);
      // Core 35's request word 1 (cores 32..63) carries bit 0 until core 35's watcher answers it.
      await vi.waitFor(() => expect(by35).toEqual([0]));
      expect(Atomics.load(meshRequests(memory, bootLayout(cores, memory.byteLength), 35), 0)).toBe(0);
      expect(m35.isBound(0)).toBe(true);
      expect(m35.peer(0)).toBe("35-0");
      expect(m0.peer(35)).toBe("0-35");
      expect([by0, by35]).toEqual([[35], [0]]);
    } finally {
      m0.close();
      m35.close();
    }
  });

  it("says why there is no peer: this core, out of range, dead", () => {
    const memory = new SharedArrayBuffer(16 * 2 ** 20);
    const m = meshOf(2, 4, memory, []);
    try {
      expect(m.peer(2)).toBe("is this core");
      expect(m.peer(9)).toBe("does not exist");
      expect(m.peer(-1)).toBe("does not exist");
      expect(m.peer(1.5)).toBe("does not exist");
      m.forget(3);
      expect(m.peer(3)).toBe("is dead");
      expect(m.others).toEqual([0, 1, 3]);
    } finally {
      m.close();
    }
  });
});
