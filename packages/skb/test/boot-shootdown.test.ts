// The SKB's routes joined to the monitors' shootdown: a machine booted with the SKB on a board whose
// cores are the booted cores, and no shootdown trees of its own, runs every shootdown over the SKB's
// trees for every root (at every core the same trees, the engine's offline answers), and an unmap in
// a domain spanning every core still makes every core fault afterwards.
import { fileURLToPath } from "node:url";
import { Machine, type ShootdownTrees } from "@shoal/monitor";
import { afterEach, describe, expect, it } from "vitest";
import { loadBoard } from "../src/boards/boards.js";
import { SkbEngine } from "../src/engine/engine.js";
import { swiplWasmPath } from "../src/engine/state.js";
import { multicastTree, numaMulticastTree } from "../src/queries/multicast.js";

const skbDomain = fileURLToPath(new URL("../domain/skb.mjs", import.meta.url));
// The monitor's unmap safety domain (packages/monitor/test/shootdown.test.ts), reused as it is.
const safety = fileURLToPath(new URL("../../monitor/test/domains/span-safety.mjs", import.meta.url));

let machine: Machine | undefined;
afterEach(async () => {
  await machine?.halt();
  machine = undefined;
});

function results(log: string[]): Record<string, unknown>[] {
  return log
    .filter((l) => l.includes(" result "))
    .map((l) => JSON.parse(l.slice(l.indexOf(" result ") + 8)) as Record<string, unknown>);
}

async function treesOfAllCores(m: Machine): Promise<ShootdownTrees[]> {
  return Promise.all(m.liveCores().map((k) => m.request<ShootdownTrees>(k, { op: "shootdown-trees" })));
}

describe("the shootdown over the SKB's routes", () => {
  it("uses the SKB's NUMA-aware trees for every root at every core of amd-4x4, and unmaps safely", async () => {
    const log: string[] = [];
    const stages: string[] = [];
    machine = await Machine.boot({
      cores: 16,
      memoryBytes: 128 * 2 ** 20,
      console: (l) => log.push(l),
      onStage: (l) => stages.push(l),
      skb: { domain: skbDomain, wasm: swiplWasmPath(), args: ["--board", "amd-4x4"] },
    });
    expect(machine.skbBoot?.shootdown).toMatchObject({ ok: true });
    expect(stages.some((l) => /skb: shootdown over the SKB's trees for all 16 roots/.test(l))).toBe(true);

    const engine = await SkbEngine.start();
    loadBoard(engine, "amd-4x4");
    const expected = Array.from({ length: 16 }, (_, k) => numaMulticastTree(engine, k));
    for (const t of await treesOfAllCores(machine)) {
      expect(t.origin).toBe("skb");
      expect(t.protocol).toBe("numa_multicast");
      expect(t.trees).toEqual(expected);
    }

    for (const [seed, initiator] of [
      [11, 0],
      [12345, 6],
      [987, 13],
    ] as const) {
      const before = results(log).length;
      const { exited } = await machine.spawn(safety, { core: 0, args: [String(seed), String(initiator)] });
      expect(await exited).toBe(0);
      const r = results(log)[before];
      const ctx = `seed ${seed}, initiator ${initiator}`;
      expect(r, ctx).toBeDefined();
      expect(r?.warm, ctx).toBe(true);
      expect(r?.outcome, ctx).toBe(1);
      expect(r?.verdicts, ctx).toEqual(Array(16).fill(1));
      expect(r?.codes, ctx).toEqual(Array(16).fill(0));
    }
  }, 180_000);

  it("uses the SKB's §5.1 multicast trees when the boot names that protocol (amd-4x4 cut to 6 cores)", async () => {
    machine = await Machine.boot({
      cores: 6,
      memoryBytes: 64 * 2 ** 20,
      shootdown: { protocol: "multicast" },
      skb: { domain: skbDomain, wasm: swiplWasmPath(), args: ["--board", "amd-4x4"] },
    });
    expect(machine.skbBoot?.shootdown).toMatchObject({ ok: true, queries: 1 });
    const engine = await SkbEngine.start();
    loadBoard(engine, "amd-4x4");
    engine.query("forall((core(K, _), K >= 6), retractall(core(K, _)))");
    const expected = Array.from({ length: 6 }, (_, k) => multicastTree(engine, k));
    for (const t of await treesOfAllCores(machine)) {
      expect(t).toEqual({ protocol: "multicast", origin: "skb", trees: expected });
    }
  });

  it("keeps the boot's own trees when it passes them", async () => {
    machine = await Machine.boot({
      cores: 2,
      memoryBytes: 64 * 2 ** 20,
      shootdown: {
        protocol: "unicast",
        trees: [
          { core: 0, children: [{ core: 1, children: [] }] },
          { core: 1, children: [{ core: 0, children: [] }] },
        ],
      },
      skb: { domain: skbDomain, wasm: swiplWasmPath(), args: ["--board", "amd-4x4"] },
    });
    expect(machine.skbBoot?.shootdown).toBeUndefined();
    for (const t of await treesOfAllCores(machine)) expect(t.origin).toBe("boot");
  });
});
