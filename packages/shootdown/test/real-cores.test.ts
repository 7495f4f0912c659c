import { PROTOCOLS } from "@shoal/agreement";
import { describe, expect, it } from "vitest";
import { isShootdownError } from "../src/errors.js";
import { decodeWire, encodeWire } from "../src/real/codec.js";
import { runRealShootdowns } from "../src/real/run-real.js";
import { routesFromSkb } from "../src/routes/skb-routes.js";
import { amd8x4, firstCores } from "./skb-fixture.js";

describe("shootdowns over real cores (worker threads, one mesh in shared memory)", () => {
  for (const n of [2, 4]) {
    for (const protocol of PROTOCOLS) {
      it(`${protocol} on ${n} cores: every core invalidates every range`, async () => {
        const routes = routesFromSkb(await amd8x4(), protocol, firstCores(n));
        const r = await runRealShootdowns(routes, { ops: 8, warmup: 2, timeoutMs: 20_000 });
        expect(r.error).toBeUndefined();
        expect(r.latenciesNs).toHaveLength(8);
        expect([...r.invalidated.entries()].sort((a, b) => a[0] - b[0])).toEqual(
          firstCores(n).map((c) => [c, 10]),
        );
      });
    }
  }

  for (const protocol of ["broadcast", "multicast"] as const) {
    it(`${protocol}: a core killed during a run makes the shootdown fail with PEER_DIED, and the run ends`, async () => {
      const routes = routesFromSkb(await amd8x4(), protocol, firstCores(4));
      const r = await runRealShootdowns(routes, { ops: 1_000_000, kill: { core: 2, afterMs: 400 } });
      expect(isShootdownError(r.error, "PEER_DIED")).toBe(true);
      expect(r.error?.core).toBe(2);
    });
  }
});

describe("the real-core codec", () => {
  it("round-trips invalidations and verdicts", () => {
    const w = new Int32Array(16);
    const down = {
      t: "down",
      round: 4096 * 7 + 3,
      root: 3,
      forward: true,
      body: { kind: "invalidate", range: { base: 2 ** 40 + 4096 * 5, pages: 9 } },
    } as const;
    encodeWire(down, w, 8);
    expect(decodeWire(w, 8)).toEqual(down);
    const up = { t: "up", round: 99, from: 5, verdict: { ok: true } } as const;
    encodeWire(up, w, 0);
    expect(decodeWire(w, 0)).toEqual(up);
  });

  it("refuses what it cannot carry, typed", () => {
    const w = new Int32Array(8);
    const txn = { key: "k", action: "retype", stamp: 1, core: 0 };
    expect(() =>
      encodeWire({ t: "down", round: 1, root: 0, forward: true, body: { kind: "prepare", txn } }, w, 0),
    ).toThrow(/invalidations only/);
    w[0] = 7;
    expect(() => decodeWire(w, 0)).toThrow(/neither down/);
  });
});
