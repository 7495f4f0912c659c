import { describe, expect, it } from "vitest";
import { BenchError } from "../errors.js";
import { ROUND_TRIP_VALUE } from "../stubs/payloads.js";
import { allocateRawMemory, PING, PING_VALUE, PONG, PONG_VALUE, STOP } from "./raw-layout.js";
import { awaitedPingRounds, echoPings, pingRounds } from "./raw-pingpong.js";

// One thread: PONG is set ahead (sequences only have to be reached), so main's loop never waits.
function mainWithPongsAhead(echoLo: number, echoHi: number): Int32Array {
  const i32 = new Int32Array(allocateRawMemory());
  Atomics.store(i32, PONG, 1000);
  i32[PONG_VALUE] = echoLo;
  i32[PONG_VALUE + 1] = echoHi;
  return i32;
}

const LO = Number(BigInt.asIntN(32, ROUND_TRIP_VALUE));
const HI = Number(BigInt.asIntN(32, ROUND_TRIP_VALUE >> 32n));

describe("the floor's ping-pong", () => {
  it("writes the ping's value into the ping line and accepts its echo", () => {
    const i32 = mainWithPongsAhead(LO, HI);
    expect(pingRounds(i32, 0, new Float64Array(4), 4, 1000)).toBe(16);
    expect(Atomics.load(i32, PING)).toBe(16);
    expect([i32[PING_VALUE], i32[PING_VALUE + 1]]).toEqual([LO, HI]);
  });

  it("fails with WRONG_RESULT when a pong does not echo the value", () => {
    const i32 = mainWithPongsAhead(LO, HI ^ 1);
    expect(() => pingRounds(i32, 0, new Float64Array(4), 4, 1000)).toThrow(BenchError);
  });

  it("runs the same round trips awaited, and fails the same way on a wrong echo", async () => {
    const i32 = mainWithPongsAhead(LO, HI);
    const samples = new Float64Array(4);
    expect(await awaitedPingRounds(i32, 0, samples, 4, 1000)).toBe(16);
    expect(Atomics.load(i32, PING)).toBe(16);
    expect(samples.every((ns) => ns > 0)).toBe(true);
    const wrong = mainWithPongsAhead(LO ^ 1, HI);
    await expect(awaitedPingRounds(wrong, 0, new Float64Array(4), 4, 1000)).rejects.toThrow(BenchError);
  });

  it("gives up an awaited round trip that never comes back: at STOP, or after the timeout", async () => {
    // PONG never moves: only the poller's own checks can end the wait.
    const stopped = new Int32Array(allocateRawMemory());
    Atomics.store(stopped, STOP, 1);
    expect(await awaitedPingRounds(stopped, 0, new Float64Array(2), 4, 60_000)).toBe(0);
    const silent = new Int32Array(allocateRawMemory());
    const t0 = performance.now();
    expect(await awaitedPingRounds(silent, 0, new Float64Array(2), 4, 20)).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(20);
  });

  it("echoes the value with the ping's sequence", () => {
    const i32 = new Int32Array(allocateRawMemory());
    i32[PING_VALUE] = 7;
    i32[PING_VALUE + 1] = -8;
    Atomics.store(i32, PING, 3);
    expect(echoPings(i32, 0, 3, 1000)).toBeNull();
    expect([Atomics.load(i32, PONG), i32[PONG_VALUE], i32[PONG_VALUE + 1]]).toEqual([3, 7, -8]);
  });
});
