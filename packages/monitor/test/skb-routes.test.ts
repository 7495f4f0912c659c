// The SKB at boot, from the monitor's side: a stand-in service on core 0 (test/domains/fake-skb.mjs;
// @shoal/skb's own test boots the real one), every monitor's routes through Monitor.routes(), and the
// typed failures.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Machine, type Routes, routesOfAllCores } from "../src/index.js";

const fake = fileURLToPath(new URL("./domains/fake-skb.mjs", import.meta.url));

let machine: Machine | undefined;
afterEach(async () => {
  await machine?.halt();
  machine = undefined;
});

describe("routes from the SKB at boot", () => {
  it("every monitor has its trees once boot returns, rooted at its own core", async () => {
    const stages: string[] = [];
    machine = await Machine.boot({
      cores: 5,
      memoryBytes: 64 * 2 ** 20,
      onStage: (l) => stages.push(l),
      skb: { domain: fake, args: ["--delay", "100"] },
    });
    expect(machine.skbBoot?.routed).toEqual([0, 1, 2, 3, 4]);
    expect(machine.skbBoot?.failed).toEqual([]);
    expect(machine.bootMs.skb).toBeGreaterThan(0);
    expect(stages.some((l) => /^skb: serving on core 0, routes at 5 of 5 cores/.test(l))).toBe(true);
    const all = await routesOfAllCores(machine);
    for (const k of [0, 1, 2, 3, 4]) {
      const r = all.get(k) as Routes;
      const others = [0, 1, 2, 3, 4].filter((c) => c !== k);
      expect(r.source).toBe(k);
      expect(r.cores).toEqual([0, 1, 2, 3, 4]);
      expect(r.trees.multicast).toEqual({
        core: k,
        children: others.map((core) => ({ core, children: [] })),
      });
      expect(r.trees.numa_multicast.children.map((c) => c.bufferNode)).toEqual(others.map((c) => c % 2));
      expect(r.trees.broadcast.children.map((c) => c.core)).toEqual(others);
    }
  });

  it("a core the SKB knows nothing of gets NO_ROUTES; the others still get theirs", async () => {
    machine = await Machine.boot({
      cores: 3,
      memoryBytes: 64 * 2 ** 20,
      skb: { domain: fake, args: ["--no-core", "2"] },
    });
    expect(machine.skbBoot?.routed).toEqual([0, 1]);
    expect(machine.skbBoot?.failed.map((f) => f.core)).toEqual([2]);
    expect(machine.skbBoot?.failed[0]?.reason).toMatch(/^NO_ROUTES: /);
    await expect(machine.request(2, { op: "routes" })).rejects.toMatchObject({ code: "NO_ROUTES" });
  });

  it("booted without the SKB, routes() fails fast with NO_SKB", async () => {
    machine = await Machine.boot({ cores: 2, memoryBytes: 64 * 2 ** 20 });
    expect(machine.skbBoot).toBeUndefined();
    expect(machine.bootMs.skb).toBeUndefined();
    await expect(machine.request(1, { op: "routes" })).rejects.toMatchObject({ code: "NO_SKB" });
  });
});
