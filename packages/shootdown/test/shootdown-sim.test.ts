import { PROTOCOLS } from "@shoal/agreement";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isShootdownError } from "../src/errors.js";
import { routesFromSkb } from "../src/routes/skb-routes.js";
import { AMD_8X4_COSTS } from "../src/sim/cost-model.js";
import { simSetup, simulateShootdowns } from "../src/sim/run.js";
import { amd8x4, firstCores } from "./skb-fixture.js";

describe("shootdowns on the simulated 8x4 AMD", () => {
  it("every core invalidates and acknowledges every range exactly once; no operation completes before all did", async () => {
    const e = await amd8x4();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PROTOCOLS),
        fc.integer({ min: 1, max: 32 }),
        fc.integer({ min: 0, max: 31 }),
        fc.integer({ min: 1, max: 1000 }),
        async (protocol, n, rootPick, seed) => {
          const routes = routesFromSkb(e, protocol, firstCores(n));
          const root = rootPick % n;
          const setup = simSetup(routes, { seed });
          const core = setup.cores.get(root);
          if (core === undefined) throw new Error("no root");
          const ops = 5;
          let completed = 0;
          // Count every acknowledgement by (round, sender): each core answers each round exactly once.
          const acks = new Map<string, number>();
          for (const c of routes.cores) {
            const node = setup.cores.get(c)?.node;
            if (node === undefined) throw new Error("no node");
            setup.machine.attach(c, (from, msg) => {
              if (msg.t === "up")
                acks.set(`${msg.round}/${msg.from}`, (acks.get(`${msg.round}/${msg.from}`) ?? 0) + 1);
              node.receive(from, msg);
            });
          }
          // Several in flight at once, from one core: they must not mix up their acks.
          setup.machine.at(0, root, () => {
            for (let i = 0; i < ops; i++) {
              const range = { base: i * 4096, pages: 1 + i };
              core.shootdown(range, (err) => {
                expect(err).toBeUndefined();
                for (const c of routes.cores) {
                  expect(setup.invalidated.get(c)?.filter((r) => r.base === range.base)).toHaveLength(1);
                }
                completed++;
              });
            }
          });
          setup.machine.run();
          expect(completed).toBe(ops);
          expect(acks.size).toBe(ops * (n - 1));
          for (const count of acks.values()) expect(count).toBe(1);
          for (const c of routes.cores) {
            expect(setup.invalidated.get(c)).toHaveLength(ops);
            expect(setup.cores.get(c)?.node.inFlight).toBe(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("is deterministic under a seed", async () => {
    const e = await amd8x4();
    const routes = routesFromSkb(e, "broadcast", firstCores(16));
    const a = simulateShootdowns(routes, { seed: 7, ops: 6 });
    const b = simulateShootdowns(routes, { seed: 7, ops: 6 });
    const c = simulateShootdowns(routes, { seed: 8, ops: 6 });
    expect(a.latenciesNs).toEqual(b.latenciesNs);
    expect(a.latenciesNs).not.toEqual(c.latenciesNs);
  });

  it("reproduces Figure 6's shape: linear broadcast and unicast, flat NUMA-aware multicast", async () => {
    const e = await amd8x4();
    const at = (p: (typeof PROTOCOLS)[number], n: number) =>
      simulateShootdowns(routesFromSkb(e, p, firstCores(n)), { ops: 8 }).medianNs;
    for (const p of ["broadcast", "unicast"] as const) {
      const [l8, l16, l32] = [at(p, 8), at(p, 16), at(p, 32)];
      // Linear: each doubling of the cores adds at least 60% of the previous step again.
      expect(l32 - l16).toBeGreaterThan(1.6 * (l16 - l8));
    }
    const numa8 = at("numa_multicast", 8);
    const numa32 = at("numa_multicast", 32);
    expect(numa32 / numa8).toBeLessThan(1.5);
    expect(at("unicast", 32)).toBeGreaterThan(2 * numa32);
    expect(at("broadcast", 32)).toBeGreaterThan(at("unicast", 32));
    expect(at("multicast", 32)).toBeGreaterThan(numa32);
  });

  for (const protocol of PROTOCOLS) {
    it(`${protocol}: a core that dies mid-shootdown fails the operation with PEER_DIED`, async () => {
      const e = await amd8x4();
      const routes = routesFromSkb(e, protocol, firstCores(32));
      const setup = simSetup(routes, { seed: 3 });
      const root = setup.cores.get(0);
      let result: unknown = "pending";
      setup.machine.at(0, 0, () => root?.shootdown({ base: 0, pages: 1 }, (err) => (result = err)));
      // Dies before the request reaches it (the first hop alone takes over 500 cycles).
      setup.machine.kill(29, 10);
      setup.machine.run();
      expect(isShootdownError(result, "PEER_DIED")).toBe(true);
      expect((result as { core: number }).core).toBe(29);
      for (const c of routes.cores) if (c !== 29) expect(setup.cores.get(c)?.node.inFlight).toBe(0);
    });
  }

  it("a core that dies unnoticed fails the operation with TIMEOUT", async () => {
    const e = await amd8x4();
    const routes = routesFromSkb(e, "numa_multicast", firstCores(8));
    const model = { ...AMD_8X4_COSTS, deathDetectCycles: 1e12 };
    const setup = simSetup(routes, { model, timeoutNs: 50_000 });
    let result: unknown = "pending";
    setup.machine.at(0, 0, () =>
      setup.cores.get(0)?.shootdown({ base: 0, pages: 1 }, (err) => (result = err)),
    );
    setup.machine.kill(6, 1);
    setup.machine.run();
    expect(isShootdownError(result, "TIMEOUT")).toBe(true);
  });
});
