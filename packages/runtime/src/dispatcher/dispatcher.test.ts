import { afterEach, describe, expect, it } from "vitest";
import { Recorder, SEQ, TEST_INFO, until } from "../../test/helpers/test-interface.js";
import { connectPair, openChannel } from "../connect.js";
import { CENSUS_SPINNING, censusBuffer } from "./census.js";
import { configureDispatcher, dispatcherConfig } from "./config.js";
import { dispatcher, dispatcherStats, nextBudgetMs, type Pollable, traffic } from "./dispatcher.js";
import { measureWakeCostNs } from "./wake-cost.js";

afterEach(() => {
  configureDispatcher({ spinBudgetUs: null });
});

describe("dispatcher configuration", () => {
  it("derives a bounded spin budget from a measured wake-up cost", () => {
    const cfg = dispatcherConfig();
    expect(cfg.wakeCostNs).toBeGreaterThan(0);
    expect(cfg.spinBudgetNs).toBeGreaterThan(0);
    expect(cfg.spinBudgetNs).toBeLessThanOrEqual(cfg.spinCapNs);
    expect(cfg.spinBudgetConfigured).toBe(false);
    expect(cfg.spinCapNs).toBeLessThanOrEqual(8_000_000);
    expect(measureWakeCostNs()).toBeGreaterThan(0);
  });

  it("takes a configured P and rejects bad values precisely", () => {
    expect(configureDispatcher({ spinBudgetUs: 12 }).spinBudgetNs).toBe(12_000);
    expect(dispatcherConfig().spinBudgetConfigured).toBe(true);
    expect(() => configureDispatcher({ spinBudgetUs: -1 })).toThrow(
      "options.spinBudgetUs must be a number between 0 and 10000, got -1",
    );
    expect(configureDispatcher({ spinBudgetUs: null }).spinBudgetConfigured).toBe(false);
  });
});

describe("the adaptive spin budget", () => {
  it("doubles after a short sleep only while the spinning threads have a CPU each", () => {
    const cfg = dispatcherConfig();
    const base = cfg.spinBudgetNs / 1e6;
    // A sleep cut short with room on the CPUs: the budget doubles (up to the cap).
    expect(nextBudgetMs(base, base, 1)).toBe(Math.min(cfg.spinCapNs / 1e6, base * 2));
    expect(nextBudgetMs(cfg.spinCapNs / 1e6, 0, cfg.cores)).toBe(cfg.spinCapNs / 1e6);
    // More spinners than CPUs: a short sleep means a preempted peer; never raise the budget then.
    expect(nextBudgetMs(base, base, cfg.cores + 1)).toBe(base);
    expect(nextBudgetMs(base * 8, 0, cfg.cores + 1)).toBe(base);
    // Far more spinners than CPUs: block almost at once.
    expect(nextBudgetMs(base, base, 2 * cfg.cores + 1)).toBeLessThanOrEqual(Math.min(base, 0.005));
    // A long sleep resets it.
    expect(nextBudgetMs(base * 4, 1000, 1)).toBe(base);
  });
});

describe("the spin budget in a crowd", () => {
  it("a dispatcher woken while the census counts more than twice the CPUs spinning takes the crowded budget", async () => {
    // The policy above is only worth something if the dispatcher asks it with the census's count.
    const cfg = dispatcherConfig();
    const base = cfg.spinBudgetNs / 1e6;
    const census = new Int32Array(censusBuffer());
    const [ea, eb] = connectPair("urpc");
    const a = openChannel(ea);
    const b = openChannel(eb);
    const rb = new Recorder();
    a.open(TEST_INFO, new Recorder());
    b.open(TEST_INFO, rb);
    const before = dispatcherStats().sleeps;
    await until(() => dispatcherStats().sleeps > before, 5_000, "the dispatcher to sleep");
    // Other threads spinning, as 64 cores on 2 CPUs would be (counted in, taken out below).
    const crowd = 2 * cfg.cores + 2;
    Atomics.add(census, CENSUS_SPINNING, crowd);
    try {
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          void a.send(SEQ, 0, Uint32Array.of(1), 1, null, null).then(resolve);
        }, 10),
      );
      await until(() => rb.seen.length === 1, 5_000, "delivery after the sleep");
      const budget = (dispatcher() as unknown as { budgetMs: number }).budgetMs;
      expect(budget).toBeLessThanOrEqual(Math.min(base, 0.005));
    } finally {
      Atomics.sub(census, CENSUS_SPINNING, crowd);
      await a.close();
      await b.close();
    }
  });
});

describe("dispatcher blocking", () => {
  it("sleeps on its doorbell when idle and is woken by a message", async () => {
    configureDispatcher({ spinBudgetUs: 0 });
    const [ea, eb] = connectPair("urpc");
    const a = openChannel(ea);
    const b = openChannel(eb);
    const rb = new Recorder();
    a.open(TEST_INFO, new Recorder());
    b.open(TEST_INFO, rb);
    const before = dispatcherStats().sleeps;
    await until(() => dispatcherStats().sleeps > before, 5_000, "the dispatcher to sleep");
    // Sent from a timer: the dispatcher is blocked in waitAsync, and only the doorbell can wake it.
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        void a.send(SEQ, 0, Uint32Array.of(7), 1, null, null).then(resolve);
      }, 30),
    );
    const timeoutsBefore = dispatcherStats().timeouts;
    await until(() => rb.seen.length === 1, 5_000, "delivery after a sleep");
    // Woken by the doorbell, not by the safety timeout of the wait.
    expect(dispatcherStats().timeouts).toBe(timeoutsBefore);
    expect(rb.seen[0]?.words[0]).toBe(7);
    await a.close();
    await b.close();
  });
});

describe("dispatcher turns", () => {
  it("runs a continuation that a delivery released before polling on, even if the same pass answered another message", async () => {
    // Two members, as both ends of an rpc in one thread: `server` answers a call on every poll (a delivery
    // that sends), `client` gets the response once (a delivery that sends nothing and settles a promise).
    let settled = false;
    let pollsAfter = 0;
    let release = (): void => {};
    const response = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server: Pollable = {
      poll() {
        traffic.sent++;
        return true;
      },
    };
    const client: Pollable = {
      poll() {
        if (settled) {
          pollsAfter++;
          return false;
        }
        settled = true;
        release();
        traffic.unanswered++;
        return true;
      },
    };
    dispatcher().add(server);
    dispatcher().add(client);
    try {
      await response;
      // The turn that settled the call ended there: the continuation ran before any further poll.
      expect(pollsAfter).toBe(0);
    } finally {
      dispatcher().remove(server);
      dispatcher().remove(client);
    }
  });
});

describe("process.nextTick while the dispatcher spins", () => {
  it("runs a tick queued by a member within a few turns, not after the slice", async () => {
    // A member that always has work keeps the dispatcher spinning (no sleep, no reason to stop). A tick
    // it queues must run at the next hop through the tick queue (one every 16 turns of at most 129 polls
    // each), not when the 4 ms slice ends: Node streams and http defer their steps to ticks.
    let polls = 0;
    let queuedAt = -1;
    let ranAfter = -1;
    let done = (): void => {};
    const ran = new Promise<void>((resolve) => {
      done = resolve;
    });
    const busy: Pollable = {
      poll() {
        polls++;
        if (queuedAt < 0 && polls > 10) {
          queuedAt = polls;
          process.nextTick(() => {
            ranAfter = polls - queuedAt;
            done();
          });
        }
        return true;
      },
    };
    dispatcher().add(busy);
    try {
      await ran;
      expect(ranAfter).toBeGreaterThanOrEqual(0);
      expect(ranAfter).toBeLessThanOrEqual(17 * 129);
    } finally {
      dispatcher().remove(busy);
    }
  });
});
