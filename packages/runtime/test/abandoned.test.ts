// Liveness: a peer endpoint that is dropped without ever being bound fails the other side with PEER_DIED
// (it can never answer), and deadlines (`timeoutMs`) end waits for a peer that is alive but silent.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { connectPair, type Endpoint, openChannel, PendingCalls, type ShoalError } from "../src/index.js";
import { Recorder, TEST_INFO, until } from "./helpers/test-interface.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Collects garbage until `cond` holds (finalizers run in later turns), with a deadline. */
async function collectUntil(cond: () => boolean, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > 10_000) throw new Error(`timed out waiting for ${what}`);
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(["urpc", "port", "lrpc"] as const)(
  "an endpoint dropped without being bound (%s)",
  (transport) => {
    it("fails its peer with PEER_DIED instead of leaving it waiting", async () => {
      const rec = new Recorder();
      // The peer endpoint lives only inside this function and is never bound or posted.
      (() => {
        const [ea] = connectPair(transport);
        openChannel(ea).open(TEST_INFO, rec);
      })();
      await collectUntil(() => rec.closedWith !== null, "PEER_DIED");
      expect(rec.closedWith?.code).toBe("PEER_DIED");
      expect(rec.closedWith?.message).toMatch(/dropped without being bound/);
    });

    it("leaves a bound pair alone when its endpoint objects are collected", async () => {
      const ra = new Recorder();
      const rb = new Recorder();
      const chans = (() => {
        const [ea, eb] = connectPair(transport);
        const a = openChannel(ea);
        const b = openChannel(eb);
        a.open(TEST_INFO, ra);
        b.open(TEST_INFO, rb);
        return [a, b];
      })();
      let collected = false;
      const probe = new FinalizationRegistry(() => {
        collected = true;
      });
      (() => {
        const [ep] = connectPair(transport);
        probe.register(ep, 0);
      })();
      await collectUntil(() => collected, "an unrelated endpoint to be collected");
      await new Promise((r) => setTimeout(r, 20));
      expect(ra.closedWith).toBeNull();
      expect(rb.closedWith).toBeNull();
      for (const c of chans) await c.close();
    });
  },
);

describe("deadlines", () => {
  it("a channel whose peer never binds closes with TIMEOUT after timeoutMs", async () => {
    const [ea, eb] = connectPair("urpc");
    const rec = new Recorder();
    openChannel(ea).open(TEST_INFO, rec, { timeoutMs: 50 });
    await until(() => rec.closedWith !== null, 5_000, "TIMEOUT");
    expect(rec.closedWith?.code).toBe("TIMEOUT");
    expect(rec.closedWith?.message).toMatch(/did not bind within 50 ms/);
    void (eb as Endpoint);
  });

  it("a peer that binds in time clears the deadline", async () => {
    const [ea, eb] = connectPair("port");
    const ra = new Recorder();
    const a = openChannel(ea);
    a.open(TEST_INFO, ra, { timeoutMs: 200 });
    const b = openChannel(eb);
    b.open(TEST_INFO, new Recorder());
    await new Promise((r) => setTimeout(r, 400));
    expect(ra.closedWith).toBeNull();
    await a.close();
  });

  it("a call past its timeoutMs rejects with TIMEOUT naming the rpc; one answered in time does not", async () => {
    const calls = new PendingCalls("iface", { 7: "slow" });
    const late = calls.expect(calls.next(), 7, 30);
    const t = calls.next();
    const early = calls.expect<number>(t, 7, 1_000);
    calls.settle(t, 7, 42);
    await expect(early).resolves.toBe(42);
    const e = (await late.catch((x: unknown) => x)) as ShoalError;
    expect(e.code).toBe("TIMEOUT");
    expect(e.messageName).toBe("slow");
    expect(e.message).toBe("iface.slow: no response within 30 ms");
  });
});
