import { PROTOCOLS, ShootdownCore } from "@shoal/agreement";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { routesFromSkb } from "../src/routes/skb-routes.js";
import { AMD_8X4_COSTS, topologyOfBoard } from "../src/sim/cost-model.js";
import { SimMachine } from "../src/sim/machine.js";
import { unmapRange } from "../src/vspace/unmap.js";
import { amd8x4, firstCores } from "./skb-fixture.js";

const PAGE = 0x7000;

describe("unmap safety on the simulated machine", () => {
  it("after unmap returns, no core reads the page again (each read faults)", async () => {
    const e = await amd8x4();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PROTOCOLS),
        fc.integer({ min: 2, max: 32 }),
        fc.nat(31),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        async (protocol, n, rootPick, unmapAt, seed) => {
          const routes = routesFromSkb(e, protocol, firstCores(n));
          const machine = new SimMachine(AMD_8X4_COSTS, topologyOfBoard(), { seed, routes });
          // One page table shared by the domain's cores; a software TLB per core.
          const pageTable = new Set([PAGE]);
          const tlbs = new Map<number, Set<number>>();
          const cores = new Map<number, ShootdownCore>();
          for (const c of routes.cores) {
            const tlb = new Set<number>();
            tlbs.set(c, tlb);
            const core = new ShootdownCore(machine.env(c), routes, {
              invalidate: (r) => {
                for (let p = 0; p < r.pages; p++) tlb.delete(r.base + p * 4096);
              },
            });
            cores.set(c, core);
            machine.attach(c, (from, msg) => core.node.receive(from, msg));
          }
          const reads: { core: number; at: number; ok: boolean }[] = [];
          // Every core reads the page over and over at seeded random times, through its TLB.
          let r = seed;
          for (const c of routes.cores) {
            for (let i = 0; i < 30; i++) {
              r = (r * 1103515245 + 12345) % 2 ** 31;
              const t = r % 40_000;
              machine.at(t, c, () => {
                const tlb = tlbs.get(c) as Set<number>;
                let ok = tlb.has(PAGE);
                if (!ok && pageTable.has(PAGE)) {
                  tlb.add(PAGE);
                  ok = true;
                }
                reads.push({ core: c, at: cores.get(c)?.node.env.now() ?? 0, ok });
              });
            }
          }
          const root = routes.cores[rootPick % n] as number;
          let returnedAt = Number.POSITIVE_INFINITY;
          machine.at(unmapAt, root, () => {
            const core = cores.get(root) as ShootdownCore;
            unmapRange(
              core,
              { updatePageTables: (range) => pageTable.delete(range.base) },
              { base: PAGE, pages: 1 },
              "unmap",
              (err) => {
                expect(err).toBeUndefined();
                returnedAt = core.node.env.now();
              },
            );
          });
          machine.run();
          expect(Number.isFinite(returnedAt)).toBe(true);
          for (const read of reads) if (read.at >= returnedAt) expect(read).toMatchObject({ ok: false });
        },
      ),
      { numRuns: 80 },
    );
  });
});
