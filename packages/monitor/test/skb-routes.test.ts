// The SKB at boot, from the monitor's side: a stand-in service on core 0 (test/domains/fake-skb.mjs;
// @shoal/skb's own test boots the real one), every monitor's routes through Monitor.routes(), and the
// typed failures.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Machine, type Routes, routesOfAllCores, type ShootdownTrees } from "../src/index.js";

const fake = fileURLToPath(new URL("./domains/fake-skb.mjs", import.meta.url));
const safety = fileURLToPath(new URL("./domains/span-safety.mjs", import.meta.url));

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

  it("the shootdown switches to the SKB's trees for every root, and unmaps over them", async () => {
    const stages: string[] = [];
    const log: string[] = [];
    machine = await Machine.boot({
      cores: 5,
      memoryBytes: 64 * 2 ** 20,
      onStage: (l) => stages.push(l),
      console: (l) => log.push(l),
      skb: { domain: fake },
    });
    expect(machine.skbBoot?.shootdown).toMatchObject({ ok: true, queries: 1 });
    expect(stages.some((l) => /^skb: shootdown over the SKB's trees for all 5 roots/.test(l))).toBe(true);
    const cores = [0, 1, 2, 3, 4];
    const stars = cores.map((root) => ({
      core: root,
      bufferNode: 0,
      children: cores.filter((c) => c !== root).map((core) => ({ core, bufferNode: core % 2, children: [] })),
    }));
    for (const k of cores) {
      const t = await machine.request<ShootdownTrees>(k, { op: "shootdown-trees" });
      expect(t).toEqual({ protocol: "numa_multicast", origin: "skb", trees: stars });
    }
    // The unmap safety domain (test/shootdown.test.ts) over these trees: every core faults after.
    const { exited } = await machine.spawn(safety, { core: 0, args: ["5", "3"] });
    expect(await exited).toBe(0);
    const line = log.find((l) => l.includes(" result "));
    expect(line).toBeDefined();
    const r = JSON.parse((line as string).slice((line as string).indexOf(" result ") + 8)) as Record<
      string,
      unknown
    >;
    expect(r).toMatchObject({ warm: true, outcome: 1, verdicts: [1, 1, 1, 1, 1], codes: [0, 0, 0, 0, 0] });
  });

  for (const [why, args, code] of [
    ["the SKB leaves a core out", ["--no-core", "2"], "NO_ROUTES"],
    ["the all-roots answer is malformed", ["--bad-all"], "BAD_ANSWER"],
  ] as const) {
    it(`keeps the default trees when ${why} (${code})`, async () => {
      const stages: string[] = [];
      machine = await Machine.boot({
        cores: 3,
        memoryBytes: 64 * 2 ** 20,
        onStage: (l) => stages.push(l),
        skb: { domain: fake, args: [...args] },
      });
      expect(machine.skbBoot?.shootdown).toMatchObject({ ok: false });
      const sd = machine.skbBoot?.shootdown;
      expect(sd !== undefined && !sd.ok && sd.reason.startsWith(`${code}: `)).toBe(true);
      expect(stages.some((l) => l.startsWith(`skb: shootdown keeps the default trees (${code}: `))).toBe(
        true,
      );
      for (const k of [0, 1, 2]) {
        const t = await machine.request<ShootdownTrees>(k, { op: "shootdown-trees" });
        expect(t.origin).toBe("default");
      }
    });
  }

  it("booted without the SKB, routes() fails fast with NO_SKB", async () => {
    machine = await Machine.boot({ cores: 2, memoryBytes: 64 * 2 ** 20 });
    expect(machine.skbBoot).toBeUndefined();
    expect(machine.bootMs.skb).toBeUndefined();
    await expect(machine.request(1, { op: "routes" })).rejects.toMatchObject({ code: "NO_SKB" });
  });
});
