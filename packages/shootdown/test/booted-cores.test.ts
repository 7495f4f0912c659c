import { PROTOCOLS } from "@shoal/agreement";
import { describe, expect, it } from "vitest";
import { runBooted } from "../src/booted/run-booted.js";
import { isShootdownError } from "../src/errors.js";
import { routesFromSkb } from "../src/routes/skb-routes.js";
import { amd8x4, firstCores } from "./skb-fixture.js";

// Each run boots a machine with Machine.boot, spawns one shootdown domain per core, and halts the
// machine before it returns (runBooted's finally), whatever the outcome.
describe("shootdowns on cores booted by @shoal/monitor (domains bound through the Domain API)", () => {
  const ops = 6;
  const warmup = 2;
  for (const n of [2, 4]) {
    for (const protocol of PROTOCOLS) {
      it(`${protocol} on ${n} booted cores: every core invalidates every range and answers each round once`, async () => {
        const routes = routesFromSkb(await amd8x4(), protocol, firstCores(n));
        const r = await runBooted(routes, { ops, warmup, timeoutMs: 20_000 });
        expect(r.error).toBeUndefined();
        expect(r.latenciesNs).toHaveLength(ops);
        expect([...r.reports.keys()].sort((a, b) => a - b)).toEqual(firstCores(n));
        for (const [core, rep] of r.reports) {
          expect(rep.invalidated).toBe(ops + warmup);
          // The root answers nobody; every other core sends exactly one ack per round.
          expect(rep.ups).toBe(core === 0 ? 0 : ops + warmup);
          expect(rep.duplicateUps).toBe(0);
          // One domain per core: every peer is on another core, so every binding is urpc.
          expect(Object.values(rep.transports)).toEqual(Array(n - 1).fill("urpc"));
        }
      });
    }
  }

  // On 4 cores (one package) every tree is a star; on 8 (two packages) the multicast trees forward
  // through the other package's aggregation core.
  for (const protocol of ["multicast", "numa_multicast"] as const) {
    it(`${protocol} on 8 booted cores (two packages): forwarded rounds reach every core once`, async () => {
      const routes = routesFromSkb(await amd8x4(), protocol, firstCores(8));
      expect(routes.children(0, 0).length).toBeLessThan(7);
      const r = await runBooted(routes, { ops: 4, warmup: 1, timeoutMs: 20_000 });
      expect(r.error).toBeUndefined();
      expect(r.latenciesNs).toHaveLength(4);
      expect([...r.reports.keys()].sort((a, b) => a - b)).toEqual(firstCores(8));
      for (const [core, rep] of r.reports) {
        expect(rep.invalidated).toBe(5);
        expect(rep.ups).toBe(core === 0 ? 0 : 5);
        expect(rep.duplicateUps).toBe(0);
      }
    });
  }

  it("multicast on 8 booted cores: killing the other package's aggregation core fails the run typed", async () => {
    const routes = routesFromSkb(await amd8x4(), "multicast", firstCores(8));
    const aggregator = routes.children(0, 0).find((c) => routes.children(0, c).length > 0);
    expect(aggregator).toBeDefined();
    const r = await runBooted(routes, {
      ops: 1_000_000,
      warmup: 0,
      kill: { core: aggregator as number, afterMs: 150 },
      timeoutMs: 5_000,
      runTimeoutMs: 60_000,
    });
    expect(r.reports.get(0)?.error).toBeDefined();
    expect(["PEER_DIED", "TIMEOUT"]).toContain(r.error?.code);
    if (r.error?.code === "PEER_DIED") expect(r.error.core).toBe(aggregator);
  });

  it("killing the initiating core ends the run with PEER_DIED naming it, not at the run deadline", async () => {
    const routes = routesFromSkb(await amd8x4(), "unicast", firstCores(4));
    // The run deadline is far beyond the test's: the run must end because the root is gone.
    const r = await runBooted(routes, {
      ops: 1_000_000,
      warmup: 0,
      root: 1,
      kill: { core: 1, afterMs: 150 },
      runTimeoutMs: 600_000,
    });
    expect(isShootdownError(r.error, "PEER_DIED")).toBe(true);
    expect(r.error?.core).toBe(1);
    expect(r.reports.has(1)).toBe(false);
  });

  it("two-phase commit on 4 booted cores over NUMA-aware multicast: prepare and commit reach every core once", async () => {
    const routes = routesFromSkb(await amd8x4(), "numa_multicast", firstCores(4));
    const r = await runBooted(routes, { mode: "twopc", ops, warmup, timeoutMs: 20_000 });
    expect(r.error).toBeUndefined();
    expect(r.latenciesNs).toHaveLength(ops);
    for (const [core, rep] of r.reports) {
      expect(rep.invalidated).toBe(0);
      expect(rep.ups).toBe(core === 0 ? 0 : 2 * (ops + warmup));
      expect(rep.duplicateUps).toBe(0);
    }
  });

  for (const [protocol, mode] of [
    ["broadcast", "shootdown"],
    ["unicast", "shootdown"],
    ["multicast", "shootdown"],
    ["numa_multicast", "shootdown"],
    ["numa_multicast", "twopc"],
  ] as const) {
    it(`${protocol} ${mode}: machine.killCore during the run fails it typed (PEER_DIED or TIMEOUT), no hang`, async () => {
      const routes = routesFromSkb(await amd8x4(), protocol, firstCores(4));
      const r = await runBooted(routes, {
        mode,
        ops: 1_000_000,
        warmup: 0,
        kill: { core: 2, afterMs: 150 },
        timeoutMs: 5_000,
        runTimeoutMs: 60_000,
      });
      // The root itself reported the failure (not the harness's run deadline).
      expect(r.reports.get(0)?.error).toBeDefined();
      expect(["PEER_DIED", "TIMEOUT"]).toContain(r.error?.code);
      if (r.error?.code === "PEER_DIED") expect(r.error.core).toBe(2);
      expect(r.reports.has(2)).toBe(false);
      // It failed mid-run: some operations completed before the kill, not the million asked for.
      expect(r.latenciesNs.length).toBeLessThan(1_000_000);
    });
  }
});
