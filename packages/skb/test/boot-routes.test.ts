// The real SKB at boot: the skb domain starts on core 0 with the Module the machine compiled, and
// every monitor's routes are the trees the engine gives offline on the same facts.
import { fileURLToPath } from "node:url";
import { Machine, type Routes, routesOfAllCores } from "@shoal/monitor";
import { afterEach, describe, expect, it } from "vitest";
import { loadBoard } from "../src/boards/boards.js";
import { SkbEngine } from "../src/engine/engine.js";
import { swiplWasmPath } from "../src/engine/state.js";
import { multicastTree, numaMulticastTree } from "../src/queries/multicast.js";

const skbDomain = fileURLToPath(new URL("../domain/skb.mjs", import.meta.url));

let machine: Machine | undefined;
afterEach(async () => {
  await machine?.halt();
  machine = undefined;
});

describe("the SKB at boot", () => {
  it("gives every monitor the §5.1 and NUMA trees of a board, restricted to the booted cores", async () => {
    const log: string[] = [];
    machine = await Machine.boot({
      cores: 6,
      memoryBytes: 64 * 2 ** 20,
      console: (l) => log.push(l),
      skb: { domain: skbDomain, wasm: swiplWasmPath(), args: ["--board", "amd-4x4"] },
    });
    expect(machine.skbBoot?.failed).toEqual([]);
    expect(log.some((l) => /skb: serving 'skb' .* on amd-4x4 \(.*module handed over/.test(l))).toBe(true);
    const all = await routesOfAllCores(machine);

    // Offline: the same board with cores 6..15 taken out, as the domain does.
    const engine = await SkbEngine.start();
    loadBoard(engine, "amd-4x4");
    engine.query("forall((core(K, _), K >= 6), retractall(core(K, _)))");
    for (let k = 0; k < 6; k++) {
      const r = all.get(k) as Routes;
      expect(r.cores).toEqual([0, 1, 2, 3, 4, 5]);
      expect(r.trees.multicast).toEqual(multicastTree(engine, k));
      expect(r.trees.numa_multicast).toEqual(numaMulticastTree(engine, k));
    }
    // Hand-derived: packages {0..3} and {4,5}; from core 0 the far package's nearest core 4 first.
    expect(all.get(0)?.trees.multicast).toEqual({
      core: 0,
      children: [
        { core: 4, children: [{ core: 5, children: [] }] },
        { core: 1, children: [] },
        { core: 2, children: [] },
        { core: 3, children: [] },
      ],
    });
  });

  it("serves the shell's queries and the monitors on this machine's facts", async () => {
    machine = await Machine.boot({ cores: 3, memoryBytes: 64 * 2 ** 20, skb: { domain: skbDomain } });
    expect(machine.skbBoot?.routed).toEqual([0, 1, 2]);
    const all = await routesOfAllCores(machine);
    for (const [k, r] of all) {
      expect(r.source).toBe(k);
      expect(r.cores).toEqual([0, 1, 2]);
      expect(r.trees.numa_multicast.core).toBe(k);
    }
  });
});
