// Waking a blocked receiver in another thread: the receiver marks the slot it waits at before it
// blocks, and the sender's publishing exchange sees the mark and rings its doorbell.
import { afterEach, describe, expect, it } from "vitest";
import { DOORBELL_SLEEPING } from "../src/dispatcher/doorbell.js";
import {
  configureDispatcher,
  connectPair,
  type DispatcherStats,
  dispatcherStats,
  openChannel,
} from "../src/index.js";
import { PING, Recorder, TEST_INFO, until } from "./helpers/test-interface.js";
import { spawnPeer, terminateAll } from "./helpers/workers.js";

afterEach(async () => {
  configureDispatcher({ spinBudgetUs: null });
  await terminateAll();
});

describe("urpc wake-up across threads", () => {
  it("a message to a peer whose dispatcher sleeps wakes it through its doorbell, every time", async () => {
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
    const peerStats = async (): Promise<DispatcherStats> => {
      const n = echo.reports.length;
      echo.worker.postMessage("stats");
      const r = await echo.next((m, i = echo.reports.indexOf(m)) => i >= n && m.stats !== undefined);
      return r.stats as DispatcherStats;
    };
    const peer0 = await peerStats();
    let peerAsleep = 0;
    for (let i = 0; i < 8; i++) {
      // Long enough for both dispatchers to have blocked.
      await new Promise((r) => setTimeout(r, 30));
      // The peer is asleep on its doorbell right now (its flag, read from shared memory).
      const bell = (a as unknown as { peerBell: Int32Array | null }).peerBell;
      if (bell !== null && Atomics.load(bell, DOORBELL_SLEEPING) === 1) peerAsleep++;
      const base = a.tryLine();
      expect(base).toBeGreaterThanOrEqual(0);
      a.words[base] = i;
      a.words[base + 1] = 0;
      a.publish(PING, 0);
      await until(() => ra.seen.filter((s) => s.num === PING).length === i + 1, 10_000, `echo ${i}`);
    }
    const peer1 = await peerStats();
    expect(ra.seen.filter((s) => s.num === PING).map((s) => s.words[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Both sides slept between the messages, and every wake-up came from a doorbell: a lost wake-up
    // would have waited for the blocked side's 1 s safety timeout, which the counters would show.
    expect(peerAsleep).toBeGreaterThanOrEqual(6);
    expect(peer1.sleeps).toBeGreaterThanOrEqual(peer0.sleeps + 6);
    expect(peer1.timeouts).toBe(peer0.timeouts);
    expect(dispatcherStats().sleeps).toBeGreaterThan(sleepsBefore + 4);
    expect(dispatcherStats().timeouts).toBe(timeoutsBefore);
    await a.close();
  });
});
