/**
 * The floor's ping-pong, both sides (layout in raw-layout.ts): main stores a sequence number in PING and
 * spins until the far side has echoed it in PONG. The one copy of the hand-written loops: the raw-sab
 * suite runs them between main and its own worker, and the urpc and port suites run them between main
 * and their stub worker (the paired floor, see harness/measure.ts). Keep them this lean.
 */
import { BenchError } from "../errors.js";
import type { FailureSource } from "../harness/guard.js";
import { PING, PONG, STOP } from "./raw-layout.js";
import { REACHED, type WaitOutcome, waitUntilReached } from "./spin-wait.js";

/**
 * Main's side: round trips `start+1 ..`, timed in batches of `batch`, one sample (ns per round trip) per
 * element of `samples`. Returns the last sequence that came back: `start + samples.length * batch` when
 * all did, less when a wait gave up (the far side stopped or was silent for `timeoutMs`).
 */
export function pingRounds(
  i32: Int32Array,
  start: number,
  samples: Float64Array,
  batch: number,
  timeoutMs: number,
): number {
  let seq = start;
  for (let s = 0; s < samples.length; s++) {
    const t0 = performance.now();
    for (let b = 0; b < batch; b++) {
      seq += 1;
      // Release: the worker's acquire load of PING sees this sequence.
      Atomics.store(i32, PING, seq);
      if (waitUntilReached(i32, PONG, seq, timeoutMs) !== REACHED) return seq - 1;
    }
    samples[s] = ((performance.now() - t0) * 1e6) / batch;
  }
  return seq;
}

/** The far side: answers pings `start+1 .. start+count` with the same sequence in PONG; null when done. */
export function echoPings(i32: Int32Array, start: number, count: number, timeoutMs: number): string | null {
  for (let seq = start + 1, end = start + count; seq <= end; seq++) {
    const outcome = waitUntilReached(i32, PING, seq, timeoutMs);
    if (outcome !== REACHED) return why(outcome, `ping ${seq}`);
    // Release: main's acquire load of PONG sees this round trip complete.
    Atomics.store(i32, PONG, seq);
  }
  return null;
}

/** A wait's outcome, for a worker's `failed` message. */
export function why(outcome: WaitOutcome, what: string): string {
  return `${what}: ${outcome === REACHED ? "ok" : outcome === 1 ? "stopped by main" : "peer silent, timed out"}`;
}

/**
 * Main's spin gave up: sets STOP so the far side's loop ends too, then throws the far side's crash if
 * that is why (its error/exit events, queued while main spun, get 50 ms to arrive), else a TIMEOUT.
 */
export async function abortRawLoop(
  i32: Int32Array,
  host: FailureSource,
  name: string,
  timeoutMs: number,
  what: string,
): Promise<never> {
  Atomics.store(i32, STOP, 1);
  await new Promise((resolve) => setTimeout(resolve, 50));
  throw host.failed ?? new BenchError("TIMEOUT", `${name}: waited ${timeoutMs} ms for ${what}`);
}
