import { afterEach, describe, expect, it } from "vitest";
import { Recorder, SEQ, TEST_INFO, until } from "../../test/helpers/test-interface.js";
import { connectPair, openChannel } from "../connect.js";
import { configureDispatcher, dispatcherConfig } from "./config.js";
import { dispatcherStats } from "./dispatcher.js";
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
