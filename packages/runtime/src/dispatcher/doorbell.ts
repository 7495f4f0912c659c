/**
 * A dispatcher's doorbell: one small SharedArrayBuffer per thread that peers in other threads hold a
 * reference to (it is exchanged when a channel opens).
 *
 *   word 0            : ring counter. A sender adds 1 and notifies; the sleeper waits on the value it read.
 *   word 8            : probe (the owner's scratch word: does a buffer share this memory?)
 *   word 16 (own line): sleeping flag, 1 while the dispatcher is (about to be) blocked.
 *
 * Lost wake-up: the dispatcher reads the counter, sets "sleeping", re-polls every channel, and only then
 * waits for the counter to change. A sender publishes its message, then reads "sleeping" (both
 * sequentially consistent atomics): either the re-poll sees the message, or the sender sees the flag and
 * rings, and a ring after the counter was read makes the wait return at once.
 */

import { alignedSharedBuffer } from "../core/platform.js";

/** Word index of the ring counter. */
export const DOORBELL_COUNTER = 0;
/** Word index of the sleeping flag, on its own cache line so that ringing does not bounce it. */
export const DOORBELL_SLEEPING = 16;
/** A word of the doorbell that only its owner writes, to tell whether two buffers share memory. */
export const DOORBELL_PROBE = 8;
/** Bytes of a doorbell buffer. */
export const DOORBELL_BYTES = 128;

/**
 * Creates a zeroed doorbell. Its memory is a page of its own: a plain SharedArrayBuffer is only 16-byte
 * aligned, so its words could share a cache line with whatever the allocator put next to it, and every
 * sender reads the sleeping flag after every publish.
 */
export function createDoorbell(): Int32Array {
  return new Int32Array(alignedSharedBuffer(1), 0, DOORBELL_BYTES / 4);
}

/**
 * A doorbell view over `DOORBELL_BYTES` of `memory` at `byteOffset` (a multiple of 64): how a core's
 * doorbell lives in the machine's physical memory, where any other core can find and ring it.
 */
export function doorbellAt(memory: SharedArrayBuffer, byteOffset: number): Int32Array {
  if (
    !Number.isInteger(byteOffset) ||
    byteOffset < 0 ||
    byteOffset % 64 !== 0 ||
    byteOffset + DOORBELL_BYTES > memory.byteLength
  )
    throw new RangeError(
      `a doorbell needs ${DOORBELL_BYTES} bytes at a multiple of 64 inside the memory, got offset ${byteOffset}`,
    );
  return new Int32Array(memory, byteOffset, DOORBELL_BYTES / 4);
}

/** Rings `bell` if its owner said it sleeps. Called by senders after publishing. */
export function ringIfSleeping(bell: Int32Array): void {
  // Sequentially consistent load after the publishing store: see the lost wake-up note above.
  if (Atomics.load(bell, DOORBELL_SLEEPING) !== 0) ring(bell);
}

/** Rings `bell` unconditionally. */
export function ring(bell: Int32Array): void {
  Atomics.add(bell, DOORBELL_COUNTER, 1);
  Atomics.notify(bell, DOORBELL_COUNTER);
}
