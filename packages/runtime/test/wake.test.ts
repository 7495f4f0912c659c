// Waking a blocked receiver in another thread: the receiver marks the slot it waits at before it
// blocks, and the sender's publishing exchange sees the mark and rings its doorbell.
import { afterEach, describe, expect, it } from "vitest";
import { configureDispatcher, connectPair, dispatcherStats, openChannel } from "../src/index.js";
import { PING, Recorder, TEST_INFO, until } from "./helpers/test-interface.js";
import { spawnPeer, terminateAll } from "./helpers/workers.js";

afterEach(async () => {
  configureDispatcher({ spinBudgetUs: null });
  await terminateAll();
});

describe("urpc wake-up across threads", () => {
  it("a message to a peer whose dispatcher sleeps is answered promptly, every time", async () => {
    // This side blocks at once when idle; the echo worker blocks after its own spin budget (<= 1 ms).
    configureDispatcher({ spinBudgetUs: 0 });
    const [ea, eb] = connectPair("urpc");
    const echo = spawnPeer("echo", eb);
    const a = openChannel(ea);
    const ra = new Recorder();
    a.open(TEST_INFO, ra);
    await echo.next((r) => r.ready === true);
    const sleepsBefore = dispatcherStats().sleeps;
    const timeoutsBefore = dispatcherStats().timeouts;
    for (let i = 0; i < 8; i++) {
      // Long enough for both dispatchers to have blocked.
      await new Promise((r) => setTimeout(r, 30));
      const t0 = performance.now();
      const base = a.tryLine();
      expect(base).toBeGreaterThanOrEqual(0);
      a.words[base] = i;
      a.words[base + 1] = 0;
      a.publish(PING, 0);
      await until(() => ra.seen.filter((s) => s.num === PING).length === i + 1, 5_000, `echo ${i}`);
      // Both ends were asleep: only doorbells can have woken them (a lost wake-up would wait for the
      // 1 s safety timeout of the blocked side).
      expect(performance.now() - t0).toBeLessThan(500);
    }
    expect(ra.seen.filter((s) => s.num === PING).map((s) => s.words[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(dispatcherStats().sleeps).toBeGreaterThan(sleepsBefore + 4);
    expect(dispatcherStats().timeouts).toBe(timeoutsBefore);
    await a.close();
  });
});
