/**
 * The floor's ring, both sides (layout in raw-layout.ts): main writes messages of 14-word lines, the far
 * side polls each line's control word and reads every payload word. The one copy of the hand-written
 * loops: the raw-sab suite runs them between main and its own worker, and the urpc and port suites run
 * them between main and their stub worker (the paired throughput floor, see harness/measure.ts). Keep
 * them this lean.
 */
import { BenchError } from "../errors.js";
import {
  CONSUMED,
  CONTROL_WORD,
  LINE_WORDS,
  linesPerMessage,
  PAYLOAD_WORDS,
  RECEIVED,
  RING,
  RING_MESSAGES,
  TOKEN_WORD,
} from "./raw-layout.js";
import { why } from "./raw-pingpong.js";
import { REACHED, waitUntilReached } from "./spin-wait.js";

/** The payload words every message of `payloadBytes` carries, and their wrapping 32-bit sum. */
function payloadWords(payloadBytes: number): { readonly src: Uint32Array; readonly sum: number } {
  const words = payloadBytes >> 2;
  const src = new Uint32Array(words);
  let sum = 0;
  for (let j = 0; j < words; j++) {
    src[j] = Math.imul(j + 1, 0x9e3779b1) >>> 0;
    sum = (sum + (src[j] as number)) | 0;
  }
  return { src, sum };
}

/**
 * Main's side of the ring, with the bookkeeping that spans runs: line sequences, the receiver's
 * consumed lines and its RECEIVED count only ever grow (so no line has to be cleared between runs).
 * One sender per shared memory: its far side must start every run at {@link seq}.
 */
export class RingSender {
  /** Ring lines sent so far, across runs: the far side's `startSeq` for the next run. */
  get seq(): number {
    return this.sentLines;
  }
  private sentLines = 0;
  /** Messages the receiver has counted so far (its RECEIVED word), across runs. */
  private received = 0;
  private readonly u32: Uint32Array;

  constructor(private readonly i32: Int32Array) {
    this.u32 = new Uint32Array(i32.buffer);
  }

  /**
   * Sends `messages` messages of `payloadBytes` with at most RING_MESSAGES in flight, the far side
   * draining from {@link seq} (it must be armed already), and returns the nanoseconds from the first
   * store until the receiver counted the last message; or, when a wait gave up (the far side stopped or
   * was silent for `timeoutMs`), what it waited for. The bookkeeping advances only on success.
   */
  send(payloadBytes: number, messages: number, timeoutMs: number): number | string {
    const { i32 } = this;
    const target = this.received + messages;
    const { src } = payloadWords(payloadBytes);
    const t0 = performance.now();
    const seq = sendLines(
      i32,
      this.u32,
      src,
      linesPerMessage(payloadBytes),
      messages,
      this.sentLines,
      timeoutMs,
    );
    if (typeof seq === "string") return seq;
    if (waitUntilReached(i32, RECEIVED, target, timeoutMs) !== REACHED) return "the receiver's count";
    const elapsedNs = (performance.now() - t0) * 1e6;
    this.sentLines = seq;
    this.received = target;
    return elapsedNs;
  }
}

/**
 * The sender's loop, alone in its function: V8 compiles a hot loop on stack replacement and reuses that
 * code on later calls, so a call or property access after the loop that had not run yet when it was
 * compiled deoptimizes at the end of every run (measured: the receiver's loop deoptimized 131 times in
 * one quick run, each inside the timed region). Returns the next line sequence, or what it waited for.
 */
function sendLines(
  i32: Int32Array,
  u32: Uint32Array,
  src: Uint32Array,
  lines: number,
  messages: number,
  startSeq: number,
  timeoutMs: number,
): number | string {
  const capacity = RING_MESSAGES * lines;
  const words = src.length;
  let seq = startSeq;
  let slot = seq % capacity;
  // The far side published CONSUMED = seq when it finished the previous run.
  let consumed = seq;
  for (let m = 0; m < messages; m++) {
    let left = words;
    let off = 0;
    for (let k = 0; k < lines; k++) {
      if (seq - consumed >= capacity) {
        // Full by the cached count: only now re-read CONSUMED (acquire), waiting if it is really full.
        if (waitUntilReached(i32, CONSUMED, seq - capacity + 1, timeoutMs) !== REACHED) {
          return `ring space at line ${seq}`;
        }
        consumed = Atomics.load(i32, CONSUMED);
      }
      const base = RING + slot * LINE_WORDS;
      const n = Math.min(left, PAYLOAD_WORDS);
      for (let j = 0; j < n; j++) u32[base + j] = src[off + j] as number;
      off += n;
      left -= n;
      u32[base + TOKEN_WORD] = m;
      // Release: the payload words above are visible before the receiver sees the control word.
      Atomics.store(i32, base + CONTROL_WORD, seq + 1);
      seq += 1;
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
  }
  return seq;
}

/**
 * The far side: drains `messages` messages of `payloadBytes` from the ring, starting at line `startSeq`,
 * reading every payload word into a sum (so the floor moves the same bytes as a stub receiver), and
 * publishes CONSUMED every quarter ring or whenever it finds the ring empty, so the sender rarely has to
 * re-read it. At the end it adds `messages` to RECEIVED (what stops main's clock) and returns the sum; a
 * string when a wait gave up.
 */
export function drain(
  i32: Int32Array,
  u32: Uint32Array,
  payloadBytes: number,
  messages: number,
  startSeq: number,
  timeoutMs: number,
): number | string {
  const sum = drainLines(i32, u32, payloadBytes, messages, startSeq, timeoutMs);
  if (typeof sum === "string") return sum;
  Atomics.store(i32, CONSUMED, startSeq + messages * linesPerMessage(payloadBytes));
  // Release: main polls RECEIVED to stop its clock; everything above is done.
  Atomics.add(i32, RECEIVED, messages);
  return sum;
}

/** The receiver's loop, alone in its function for the reason {@link sendLines} gives; returns the sum. */
function drainLines(
  i32: Int32Array,
  u32: Uint32Array,
  payloadBytes: number,
  messages: number,
  startSeq: number,
  timeoutMs: number,
): number | string {
  const lines = linesPerMessage(payloadBytes);
  const capacity = RING_MESSAGES * lines;
  const publishEvery = Math.max(1, capacity >> 2);
  const words = payloadBytes >> 2;
  let seq = startSeq;
  let slot = seq % capacity;
  let published = seq;
  let sum = 0;
  for (let m = 0; m < messages; m++) {
    let left = words;
    for (let k = 0; k < lines; k++) {
      const base = RING + slot * LINE_WORDS;
      if (Atomics.load(i32, base + CONTROL_WORD) !== seq + 1) {
        // Ring empty: tell the sender everything so far is free before spinning.
        if (published !== seq) {
          Atomics.store(i32, CONSUMED, seq);
          published = seq;
        }
        const outcome = waitUntilReached(i32, base + CONTROL_WORD, seq + 1, timeoutMs);
        if (outcome !== REACHED) return why(outcome, `ring line ${seq}`);
      }
      const n = Math.min(left, PAYLOAD_WORDS);
      for (let j = 0; j < n; j++) sum = (sum + (u32[base + j] as number)) | 0;
      left -= n;
      seq += 1;
      slot = slot + 1 === capacity ? 0 : slot + 1;
      if (seq - published >= publishEvery) {
        // Release: the sender may now overwrite every line before `seq`.
        Atomics.store(i32, CONSUMED, seq);
        published = seq;
      }
    }
  }
  return sum;
}

/** Throws WRONG_RESULT unless `sum` is what the far side of `messages` messages should have summed. */
export function checkRingSum(name: string, payloadBytes: number, messages: number, sum: number): void {
  const expected = Math.imul(payloadWords(payloadBytes).sum, messages) | 0;
  if (sum !== expected) {
    throw new BenchError("WRONG_RESULT", `${name} ring: receiver summed ${sum}, sender wrote ${expected}`);
  }
}
