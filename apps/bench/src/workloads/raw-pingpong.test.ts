import { describe, expect, it } from "vitest";
import { BenchError } from "../errors.js";
import { ROUND_TRIP_VALUE } from "../stubs/payloads.js";
import { allocateRawMemory, PING, PING_VALUE, PONG, PONG_VALUE } from "./raw-layout.js";
import { echoPings, pingRounds } from "./raw-pingpong.js";

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

  it("echoes the value with the ping's sequence", () => {
    const i32 = new Int32Array(allocateRawMemory());
    i32[PING_VALUE] = 7;
    i32[PING_VALUE + 1] = -8;
    Atomics.store(i32, PING, 3);
    expect(echoPings(i32, 0, 3, 1000)).toBeNull();
    expect([Atomics.load(i32, PONG), i32[PONG_VALUE], i32[PONG_VALUE + 1]]).toEqual([3, 7, -8]);
  });
});
