import type { AgreementResource, Txn } from "@shoal/agreement";
import { PROTOCOLS } from "@shoal/agreement";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isShootdownError, type ShootdownError } from "../src/errors.js";
import { routesFromSkb } from "../src/routes/skb-routes.js";
import { simSetup, simulateTwoPc } from "../src/sim/run.js";
import { amd8x4, firstCores } from "./skb-fixture.js";

/** A core's view of which RAM ranges were retyped: a second retype of one is refused. */
function retypeState(): AgreementResource & { retyped: Set<string> } {
  const retyped = new Set<string>();
  return {
    retyped,
    check: (txn) =>
      retyped.has(txn.key) ? { reason: "ALREADY_RETYPED", message: `${txn.key} is already retyped` } : null,
    apply: (txn) => {
      retyped.add(txn.key);
    },
  };
}

describe("two-phase commit on the simulated 8x4 AMD", () => {
  it("of concurrent conflicting retypes from different cores exactly one wins, the others are refused", async () => {
    const e = await amd8x4();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PROTOCOLS),
        fc.integer({ min: 2, max: 32 }),
        fc.array(fc.tuple(fc.nat(31), fc.nat(3000)), { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 1, max: 1000 }),
        async (protocol, n, starts, seed) => {
          const routes = routesFromSkb(e, protocol, firstCores(n));
          const states = new Map<number, ReturnType<typeof retypeState>>();
          const setup = simSetup(routes, {
            seed,
            resource: (c) => {
              const s = retypeState();
              states.set(c, s);
              return s;
            },
          });
          const results: (ShootdownError | "won")[] = [];
          starts.forEach(([corePick, at], i) => {
            const core = corePick % n;
            const txn: Txn = { key: "ram:0x1000000", action: `retype#${i}`, stamp: at * 16 + i, core };
            setup.machine.at(at, core, () =>
              setup.cores.get(core)?.propose(txn, (err) => results.push(err ?? "won")),
            );
          });
          setup.machine.run();
          expect(results).toHaveLength(starts.length);
          expect(results.filter((r) => r === "won")).toHaveLength(1);
          for (const r of results) if (r !== "won") expect(isShootdownError(r, "REFUSED")).toBe(true);
          for (const c of routes.cores) {
            expect(states.get(c)?.retyped.has("ram:0x1000000")).toBe(true);
            expect(setup.cores.get(c)?.participant.locked).toBe(0);
            expect(setup.cores.get(c)?.node.inFlight).toBe(0);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("names the refusing core and its reason", async () => {
    const e = await amd8x4();
    const routes = routesFromSkb(e, "numa_multicast", firstCores(8));
    const setup = simSetup(routes, {
      resource: (c) => ({
        check: () => (c === 6 ? { reason: "IN_USE", message: "the range has a mapping" } : null),
        apply: () => {},
      }),
    });
    let result: unknown;
    setup.machine.at(0, 1, () =>
      setup.cores.get(1)?.propose({ key: "k", action: "revoke", stamp: 0, core: 1 }, (err) => (result = err)),
    );
    setup.machine.run();
    expect(isShootdownError(result, "REFUSED")).toBe(true);
    expect(result).toMatchObject({ core: 6, reason: "IN_USE" });
  });

  it("a participant that dies fails the transaction and releases every lock on the live cores", async () => {
    const e = await amd8x4();
    const routes = routesFromSkb(e, "multicast", firstCores(16));
    const setup = simSetup(routes, { seed: 5 });
    let result: unknown;
    setup.machine.at(0, 0, () =>
      setup.cores.get(0)?.propose({ key: "k", action: "retype", stamp: 0, core: 0 }, (err) => (result = err)),
    );
    setup.machine.kill(13, 5);
    setup.machine.run();
    expect(isShootdownError(result, "PEER_DIED")).toBe(true);
    for (const c of routes.cores) if (c !== 13) expect(setup.cores.get(c)?.participant.locked).toBe(0);
  });

  it("pipelines independent transactions: cheaper per operation than one at a time", async () => {
    const e = await amd8x4();
    const r = simulateTwoPc(routesFromSkb(e, "numa_multicast", firstCores(32)), { ops: 12 });
    expect(r.errors).toEqual([]);
    expect(r.latenciesNs).toHaveLength(12);
    expect(r.pipelinedNsPerOp).toBeLessThan(r.medianNs);
  });
});
