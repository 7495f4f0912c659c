/**
 * The spinning census: how many threads of this process have a dispatcher that is spinning right now
 * (not asleep on its doorbell). Spinning pays only while every spinner has a CPU; with more spinners than
 * CPUs (the OS runs 64 cores on 2 CPUs) a spinner steals the CPU of the very peer it waits for, so the
 * dispatcher keys its spin budget on this count rather than on the machine's core count alone.
 *
 * The census is one SharedArrayBuffer. The first thread that makes a connection creates it; urpc and port
 * endpoints carry it, and a thread that opens a posted endpoint before it has a census of its own joins
 * the sender's. So threads wired together by endpoints count together. A thread may also be handed one
 * explicitly ({@link joinCensus}), as `shoal boot` does for every core.
 *
 *   word 0   threads whose dispatcher is spinning now
 *   word 1   threads whose dispatcher has run at all (joined)
 */

/** Word index of the spinning count. */
export const CENSUS_SPINNING = 0;
/** Word index of the count of threads that joined. */
export const CENSUS_THREADS = 1;

let census: Int32Array | null = null;
let joined = false;

/** This thread's census buffer, created on first use (what endpoints made here carry). */
export function censusBuffer(): SharedArrayBuffer {
  census ??= new Int32Array(new SharedArrayBuffer(64));
  return census.buffer as SharedArrayBuffer;
}

/**
 * Makes this thread count in `buffer`'s census. Without effect once this thread's dispatcher has counted
 * itself in a census (moving it then would leave a stale count behind); returns whether it joined.
 */
export function joinCensus(buffer: SharedArrayBuffer): boolean {
  if (joined) return census !== null && census.buffer === buffer;
  if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < 8) return false;
  census = new Int32Array(buffer);
  return true;
}

/** The dispatcher starts spinning (first start or after a sleep). */
export function spinning(): void {
  const c = census ?? new Int32Array(censusBuffer());
  census = c;
  if (!joined) {
    joined = true;
    Atomics.add(c, CENSUS_THREADS, 1);
  }
  Atomics.add(c, CENSUS_SPINNING, 1);
}

/** The dispatcher stops spinning (it sleeps, or has no channel left). */
export function notSpinning(): void {
  if (census !== null) Atomics.sub(census, CENSUS_SPINNING, 1);
}

/** Threads spinning now, this one included when it spins. */
export function spinners(): number {
  return census === null ? 0 : Atomics.load(census, CENSUS_SPINNING);
}
