/**
 * The throughput payloads sent through the generated stubs, and the ping/echo value. Every message of a
 * run carries the same bytes; the receiver folds what it got into a check value the sender can predict.
 */
import type { BenchBinding, Words16 } from "./stub-api.js";

/** The uint64 sent by ping-pong and rpc: high bits set, so both 32-bit halves are exercised. */
export const ROUND_TRIP_VALUE = 0x0123_4567_89ab_cdefn;

/** The 16 words of `payload64` (payload8 sends the first two). */
export const WORDS: Words16 = [
  0x9e3779b1, 0x3c6ef362, 0xdaa66d13, 0x78dde6c4, 0x1715609d, 0xb54cda56, 0x5384540f, 0xf1bbcdc8, 0x8ff34781,
  0x2e2ac13a, 0xcc623af3, 0x6a99b4ac, 0x08d12e65, 0xa708a81e, 0x454021d7, 0xe3779b90,
];

/** Check value of one received message: the sum of its words, or of its length and end bytes. */
export function wordsCheck(count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum = (sum + (WORDS[i] as number)) | 0;
  return sum;
}

/** Check value of one received byte array (the stub already copied every byte; this only spot-checks). */
export function bytesCheck(data: Uint8Array): number {
  return (data.length + (data[0] ?? 0) + (data[data.length - 1] ?? 0)) | 0;
}

/** The byte array sent as payload256 / payload2048. */
export function payloadBytes(size: number): Uint8Array {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + 7) & 0xff;
  return data;
}

/** Expected check value of one message of `size` bytes. */
export function expectedCheck(size: number): number {
  return size <= 64 ? wordsCheck(size / 4) : bytesCheck(payloadBytes(size));
}

/** A function that sends one throughput message of `size` bytes on `client`. */
export function senderFor(client: BenchBinding, size: number): () => Promise<void> {
  const tx = client.tx;
  const [w0, w1] = WORDS;
  switch (size) {
    case 8:
      return () => tx.payload8(w0, w1);
    case 64: {
      // Sixteen plain arguments, as an application passes them: a spread of WORDS cost ~75 ns per call.
      const [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15] = WORDS;
      return () => tx.payload64(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
    }
    case 256: {
      const data = payloadBytes(256);
      return () => tx.payload256(data);
    }
    case 2048: {
      const data = payloadBytes(2048);
      return () => tx.payload2048(data);
    }
    default:
      throw new RangeError(`no bench message carries ${size} bytes`);
  }
}
