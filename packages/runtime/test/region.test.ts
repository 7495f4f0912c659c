// urpc over a region of a larger memory (a Frame of physical memory): the endpoints are plain data, the
// doorbells live in that memory, and liveness is a word in the region's header, so no MessagePort is
// needed anywhere. This is how the monitors wire domains on different cores together.
import { afterEach, describe, expect, it } from "vitest";
import { DOORBELL_SLEEPING } from "../src/dispatcher/doorbell.js";
import {
  connectRegion,
  doorbellAt,
  failConnection,
  isShoalError,
  openChannel,
  regionBytes,
  useDoorbell,
} from "../src/index.js";
import type { UrpcChannel } from "../src/urpc/urpc-channel.js";
import { PING, Recorder, SEQ, TEST_INFO, until } from "./helpers/test-interface.js";
import { spawnPeer, terminateAll } from "./helpers/workers.js";

afterEach(terminateAll);

// "Physical memory": this thread's doorbell at 0, a worker's at 4096, connections from 64 KiB on.
const memory = new SharedArrayBuffer(1 << 20);
const MY_BELL = 0;
const PEER_BELL = 4096;
expect(useDoorbell(doorbellAt(memory, MY_BELL))).toBe(true);

function region(k: number, lines = 16) {
  const offset = 65536 + k * regionBytes(64);
  return { offset, ends: connectRegion(memory, offset, { lines }) };
}

describe("urpc over a region of physical memory", () => {
  it("endpoints are plain data: structuredClone copies them, nothing to transfer", async () => {
    const { offset, ends } = region(0);
    const copy = structuredClone(ends[1]);
    expect(copy.memory).not.toBe(memory);
    expect("port" in copy).toBe(false);
    const a = openChannel(ends[0]);
    const b = openChannel(copy);
    const rb = new Recorder();
    a.open(TEST_INFO, new Recorder());
    b.open(TEST_INFO, rb);
    // Both sides found this thread's doorbell in the memory, through distinct buffer objects.
    const header = new Uint32Array(memory, offset, 16);
    expect(header[8]).toBe(MY_BELL + 1);
    expect(header[9]).toBe(MY_BELL + 1);
    await a.send(SEQ, 0, Uint32Array.of(77), 1, null, null);
    await until(() => rb.seen.length === 1, 5_000, "delivery");
    expect(rb.seen[0]?.words[0]).toBe(77);
    await a.close();
    await until(() => rb.closedWith !== null, 5_000, "close");
  });

  it("carries messages between two workers' doorbells in the same memory, each side asleep in turn", async () => {
    const { ends } = region(1);
    const echo = spawnPeer("echo", ends[1], { bellAt: { memory, offset: PEER_BELL } });
    const a = openChannel(ends[0]) as UrpcChannel;
    const ra = new Recorder();
    a.open(TEST_INFO, ra);
    await echo.next((r) => r.ready === true);
    const peerBell = doorbellAt(memory, PEER_BELL);
    let asleep = 0;
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 30));
      if (Atomics.load(peerBell, DOORBELL_SLEEPING) === 1) asleep++;
      await a.send(PING, 0, Uint32Array.of(i, 0), 2, null, null);
      await until(() => ra.seen.filter((s) => s.num === PING).length === i + 1, 10_000, `echo ${i}`);
    }
    expect(asleep).toBeGreaterThanOrEqual(4);
    expect(ra.seen.map((s) => s.words[0])).toEqual([0, 1, 2, 3, 4, 5]);
    await a.close();
  });

  it("a peer's close reaches this side through the header and its doorbell", async () => {
    const { ends } = region(2);
    const peer = spawnPeer("idle-then-close", ends[1], { bellAt: { memory, offset: PEER_BELL + 128 } });
    const a = openChannel(ends[0]);
    const ra = new Recorder();
    a.open(TEST_INFO, ra);
    await peer.next((r) => r.ready === true);
    peer.worker.postMessage("close");
    await until(() => ra.closedWith !== null, 10_000, "CLOSED");
    expect(ra.closedWith?.code).toBe("CLOSED");
  });

  it("failConnection (what a monitor does for a dead core) fails the survivor with PEER_DIED", async () => {
    const { offset, ends } = region(3);
    const peer = spawnPeer("hang", ends[1], { bellAt: { memory, offset: PEER_BELL + 256 } });
    const a = openChannel(ends[0]);
    const ra = new Recorder();
    a.open(TEST_INFO, ra);
    await peer.next((r) => r.ready === true);
    const pending = a.send(SEQ, 0, Uint32Array.of(1), 1, null, null);
    await peer.worker.terminate();
    failConnection(memory, offset, 1);
    await until(() => ra.closedWith !== null, 10_000, "PEER_DIED");
    expect(ra.closedWith?.code).toBe("PEER_DIED");
    expect(ra.closedWith?.message).toMatch(/core died/);
    await pending.catch((e: unknown) => expect(isShoalError(e, "PEER_DIED")).toBe(true));
  });

  it("refuses regions that do not fit or are misaligned", () => {
    expect(() => connectRegion(memory, 100)).toThrow(/multiple of 64/);
    expect(() => connectRegion(memory, memory.byteLength - 64)).toThrow(/do not fit/);
    const { ends } = region(4);
    expect(() => openChannel({ ...ends[0], offset: 32 })).toThrow(/offset 32/);
  });
});
