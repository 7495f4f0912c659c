// Many threads on few CPUs (the OS runs 64 cores on 2): idle dispatchers must sleep, and they count
// themselves in one spinning census, shared through the endpoints that wired them together.
import { afterEach, describe, expect, it } from "vitest";
import { DOORBELL_SLEEPING } from "../src/dispatcher/doorbell.js";
import {
  CENSUS_SPINNING,
  CENSUS_THREADS,
  censusBuffer,
  connectPair,
  openChannel,
  spinners,
} from "../src/index.js";
import type { UrpcChannel } from "../src/urpc/urpc-channel.js";
import { PING, Recorder, TEST_INFO, until } from "./helpers/test-interface.js";
import { spawnPeer, terminateAll } from "./helpers/workers.js";

afterEach(terminateAll);

const WORKERS = 32;

describe("32 workers on this machine", () => {
  it("idle ones sleep on their doorbells; the census counts them in and out", async () => {
    const census = new Int32Array(censusBuffer());
    const threadsBefore = Atomics.load(census, CENSUS_THREADS);
    const mine: { ch: UrpcChannel; rec: Recorder }[] = [];
    for (let i = 0; i < WORKERS; i++) {
      const [ea, eb] = connectPair("urpc");
      const peer = spawnPeer("echo", eb);
      const ch = openChannel(ea) as UrpcChannel;
      const rec = new Recorder();
      ch.open(TEST_INFO, rec);
      mine.push({ ch, rec });
      await peer.next((r) => r.ready === true);
    }
    // Every worker answers once, so every dispatcher has run.
    for (const [i, { ch }] of mine.entries()) {
      await ch.send(PING, 0, Uint32Array.of(i, 0), 2, null, null);
    }
    await until(() => mine.every(({ rec }) => rec.seen.some((s) => s.num === PING)), 20_000, "every echo");
    expect(Atomics.load(census, CENSUS_THREADS)).toBeGreaterThanOrEqual(threadsBefore + WORKERS);
    // Then idle: every worker's dispatcher blocks on its doorbell (its sleeping flag, read here).
    const bells = () => mine.map(({ ch }) => (ch as unknown as { peerBell: Int32Array | null }).peerBell);
    await until(
      () => bells().every((b) => b !== null && Atomics.load(b, DOORBELL_SLEEPING) === 1),
      20_000,
      "every worker asleep",
    );
    await until(() => Atomics.load(census, CENSUS_SPINNING) <= 1, 20_000, "no thread but this one spinning");
    expect(spinners()).toBeLessThanOrEqual(1);
    for (const { ch } of mine) await ch.close();
  });
});
