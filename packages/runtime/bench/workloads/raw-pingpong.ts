/**
 * The floor's ping-pong, both sides (layout in raw-layout.ts): main writes a 64-bit value into the ping
 * line and publishes a sequence number in its last word (PING), the far side copies the value into the
 * pong line and publishes the same sequence in PONG, and main spins until it sees it. The same work as
 * `ping(uint64)`/`pong(uint64)` without stubs. It is also faster than a floor that carries only the
 * sequence: 0.78-0.88x its round trip, paired (a plain store into the line ahead of the publishing
 * store seems to start the line's transfer early; urpc writes its lines that way too). The one copy of the hand-written loops: the
 * raw-sab suite runs them between main and its own worker, and the urpc and port suites run them
 * between main and their stub worker (the paired floor, see harness/measure.ts). Keep them this lean.
 */
import { BenchError } from "../errors.js";
import type { FailureSource } from "../harness/guard.js";
import { ROUND_TRIP_VALUE } from "../stubs/payloads.js";
import { PING, PING_VALUE, PONG, PONG_VALUE, STOP } from "./raw-layout.js";
import { REACHED, type WaitOutcome, waitUntilReached } from "./spin-wait.js";

/** The two 32-bit words of the value the floor sends: the stub tests' ROUND_TRIP_VALUE, as int32. */
const VALUE_LO = Number(BigInt.asIntN(32, ROUND_TRIP_VALUE));
const VALUE_HI = Number(BigInt.asIntN(32, ROUND_TRIP_VALUE >> 32n));

/**
 * Main's side: round trips `start+1 ..`, timed in batches of `batch`, one sample (ns per round trip) per
 * element of `samples`. Returns the last sequence that came back: `start + samples.length * batch` when
 * all did, less when a wait gave up (the far side stopped or was silent for `timeoutMs`). Throws
 * WRONG_RESULT at the end when any pong did not echo the value (compared without a branch).
 */
export function pingRounds(
  i32: Int32Array,
  start: number,
  samples: Float64Array,
  batch: number,
  timeoutMs: number,
): number {
  let seq = start;
  let wrong = 0;
  for (let s = 0; s < samples.length; s++) {
    const t0 = performance.now();
    for (let b = 0; b < batch; b++) {
      seq += 1;
      sendPing(i32, seq);
      if (waitUntilReached(i32, PONG, seq, timeoutMs) !== REACHED) return seq - 1;
      wrong |= pongMismatch(i32);
    }
    samples[s] = ((performance.now() - t0) * 1e6) / batch;
  }
  checkEchoes(wrong);
  return seq;
}

/** Writes the value into the ping line, then publishes `seq` (tiny: V8 inlines it into both loops). */
function sendPing(i32: Int32Array, seq: number): void {
  i32[PING_VALUE] = VALUE_LO;
  i32[PING_VALUE + 1] = VALUE_HI;
  // Release: the worker's acquire load of PING sees this sequence and the value above.
  Atomics.store(i32, PING, seq);
}

/**
 * Non-zero when the pong line does not echo the value, computed without a branch. The pong line is
 * stable until the next ping is out, so it is read right after the pong is seen.
 */
function pongMismatch(i32: Int32Array): number {
  return ((i32[PONG_VALUE] as number) ^ VALUE_LO) | ((i32[PONG_VALUE + 1] as number) ^ VALUE_HI);
}

/** Throws WRONG_RESULT when any pong of a run (their mismatches or-ed into `wrong`) was wrong. */
function checkEchoes(wrong: number): void {
  if (wrong !== 0) throw new BenchError("WRONG_RESULT", "raw-sab: a pong did not echo the ping's value");
}

/** A settled promise: the poller's turns chain on it (the cheapest microtask hop, as the dispatcher's). */
const NEXT_TURN: Promise<void> = Promise.resolve();
/** Polls per poller turn before it gives the microtask queue a turn. */
const POLLS_PER_TURN = 32;
/** Turns between two looks at STOP and the clock. */
const TURNS_PER_CHECK = 256;

/**
 * The awaited floor, main's side: the round trips of {@link pingRounds}, with the same far side
 * ({@link echoPings}), but each one an awaited call whose promise a poller settles from microtask turns,
 * as any runtime that lets its thread go on between polls must. So it costs what an awaitable rpc must
 * add to the raw ping-pong and nothing else: a promise, its resolution with a primitive and the `await`
 * resume. The floor of the rpc rows. Returns and throws as pingRounds does.
 */
export async function awaitedPingRounds(
  i32: Int32Array,
  start: number,
  samples: Float64Array,
  batch: number,
  timeoutMs: number,
): Promise<number> {
  const poller = new PongPoller(i32, timeoutMs);
  let seq = start;
  let wrong = 0;
  for (let s = 0; s < samples.length; s++) {
    const t0 = performance.now();
    for (let b = 0; b < batch; b++) {
      seq += 1;
      sendPing(i32, seq);
      if (!(await poller.reached(seq))) return seq - 1;
      wrong |= pongMismatch(i32);
    }
    samples[s] = ((performance.now() - t0) * 1e6) / batch;
  }
  checkEchoes(wrong);
  return seq;
}

/**
 * Settles one promise per round trip when PONG reaches the awaited sequence: polls in microtask turns,
 * bounded by STOP and by `timeoutMs` of silence (then the promise settles with false).
 */
class PongPoller {
  private want = 0;
  private settle: ((reached: boolean) => void) | null = null;
  private turns = 0;
  private deadline = 0;
  private readonly turnFn = (): void => this.turn();

  constructor(
    private readonly i32: Int32Array,
    private readonly timeoutMs: number,
  ) {}

  reached(seq: number): Promise<boolean> {
    this.want = seq;
    this.turns = 0;
    const p = new Promise<boolean>((resolve) => {
      this.settle = resolve;
    });
    NEXT_TURN.then(this.turnFn);
    return p;
  }

  private turn(): void {
    const { i32, want } = this;
    for (let k = 0; k < POLLS_PER_TURN; k++) {
      if (((Atomics.load(i32, PONG) - want) | 0) >= 0) {
        this.done(true);
        return;
      }
    }
    if (++this.turns % TURNS_PER_CHECK === 0 && this.givesUp()) {
      this.done(false);
      return;
    }
    NEXT_TURN.then(this.turnFn);
  }

  /** True at STOP, or once `timeoutMs` passed since the first check of this wait. */
  private givesUp(): boolean {
    if (Atomics.load(this.i32, STOP) !== 0) return true;
    const now = performance.now();
    if (this.turns === TURNS_PER_CHECK) this.deadline = now + this.timeoutMs;
    return now > this.deadline;
  }

  private done(reached: boolean): void {
    const settle = this.settle;
    this.settle = null;
    settle?.(reached);
  }
}

/** The far side: answers pings `start+1 .. start+count`, echoing the value with the same sequence in PONG; null when done. */
export function echoPings(i32: Int32Array, start: number, count: number, timeoutMs: number): string | null {
  for (let seq = start + 1, end = start + count; seq <= end; seq++) {
    const outcome = waitUntilReached(i32, PING, seq, timeoutMs);
    if (outcome !== REACHED) return why(outcome, `ping ${seq}`);
    i32[PONG_VALUE] = i32[PING_VALUE] as number;
    i32[PONG_VALUE + 1] = i32[PING_VALUE + 1] as number;
    // Release: main's acquire load of PONG sees this round trip complete, value included.
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
