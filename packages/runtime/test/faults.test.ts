// Faults across threads: a peer that closes, a peer whose worker is terminated or crashes. Pending
// sends fail with CLOSED / PEER_DIED, and nothing is left blocked.
import { afterEach, describe, expect, it } from "vitest";
import { connectPair, isShoalError, openChannel, type ShoalError } from "../src/index.js";
import { Recorder, SEQ, TEST_INFO, until } from "./helpers/test-interface.js";
import { spawnPeer, terminateAll } from "./helpers/workers.js";

afterEach(terminateAll);

/** Opens side A here with a full ring and queued sends, so there is pending work to fail. */
async function withPendingSends(transport: "urpc" | "port") {
  const [ea, eb] = connectPair(transport, transport === "urpc" ? { lines: 2 } : { credits: 1 });
  const ch = openChannel(ea);
  const rec = new Recorder();
  ch.open(TEST_INFO, rec);
  return { ch, rec, eb };
}

function settleAll(ps: Promise<void>[]): Promise<PromiseSettledResult<void>[]> {
  return Promise.allSettled(ps);
}

describe.each(["urpc", "port"] as const)("faults over %s", (transport) => {
  it("a peer's close() fails pending sends with CLOSED", async () => {
    const { ch, rec, eb } = await withPendingSends(transport);
    // The peer binds but does not open, so nothing is consumed and our sends queue.
    const peer = spawnPeer("idle-then-close", eb);
    const pending = Array.from({ length: 8 }, (_, i) => ch.send(SEQ, 0, Uint32Array.of(i), 1, null, null));
    const outcome = settleAll(pending);
    peer.worker.postMessage("close");
    await until(() => rec.closedWith !== null, 5_000, "onClose");
    expect(rec.closedWith?.code).toBe("CLOSED");
    const results = await outcome;
    expect(results.some((r) => r.status === "rejected" && isShoalError(r.reason, "CLOSED"))).toBe(true);
    await peer.exited;
  });

  it.each(["terminate", "crash"])(
    "a peer whose worker is gone (%s) fails pending sends with PEER_DIED",
    async (how) => {
      const { ch, rec, eb } = await withPendingSends(transport);
      const peer = spawnPeer(how === "crash" ? "crash" : "hang", eb, { afterMs: 50 });
      await peer.next((r) => r.ready === true);
      const pending = Array.from({ length: 8 }, (_, i) => ch.send(SEQ, 0, Uint32Array.of(i), 1, null, null));
      const outcome = settleAll(pending);
      if (how === "terminate") await peer.worker.terminate();
      const code = await peer.exited;
      // How soon is the bench's business (machines here are shared and noisy); that it happens is ours.
      await until(() => rec.closedWith !== null, 5_000, "onClose");
      expect(rec.closedWith?.code).toBe("PEER_DIED");
      const results = await outcome;
      const rejected = results
        .filter((r) => r.status === "rejected")
        .map((r) => (r as PromiseRejectedResult).reason as ShoalError);
      expect(rejected.length).toBeGreaterThan(0);
      expect(rejected.every((e) => isShoalError(e, "PEER_DIED"))).toBe(true);
      expect(code).not.toBe(0);
    },
  );
});
