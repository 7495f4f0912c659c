/**
 * The floor: a hand-written two-thread SharedArrayBuffer ping-pong and ring, no stubs (layout in
 * raw-layout.ts). Main is one side, one worker the other; both spin, so each sits on its own core.
 */
import { BenchError } from "../errors.js";
import { WorkerHost } from "../harness/worker-host.js";
import { workerUrl } from "../harness/worker-url.js";
import {
  allocateRawMemory,
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
import { abortRawLoop, pingRounds } from "./raw-pingpong.js";
import type { RawReply } from "./raw-protocol.js";
import { REACHED, waitUntilReached } from "./spin-wait.js";
import { type Suite, unsupportedTest } from "./suite.js";

/** Opens the raw-sab suite (its worker is up and waiting when this resolves). */
export async function openRawSab(timeoutMs: number): Promise<Suite> {
  const memory = allocateRawMemory();
  const host = await WorkerHost.start<RawReply>(
    "raw-sab",
    workerUrl("raw-sab-worker"),
    { memory },
    timeoutMs,
  );
  return new RawSab(memory, host, timeoutMs);
}

class RawSab implements Suite {
  readonly transport = "raw-sab";
  readonly unsupported = { rpc: "the floor is the ping-pong; its rpc ratio uses the ping-pong row" };
  private readonly i32: Int32Array;
  private readonly u32: Uint32Array;
  /** Last ping sequence used; sequences keep growing across runs. */
  private ping = 0;
  /** Ring lines sent so far, across runs. */
  private seq = 0;
  /** Messages the receiver has counted so far, across runs. */
  private received = 0;

  constructor(
    memory: SharedArrayBuffer,
    private readonly host: WorkerHost<RawReply>,
    private readonly timeoutMs: number,
  ) {
    this.i32 = new Int32Array(memory);
    this.u32 = new Uint32Array(memory);
  }

  async pingpong(rounds: number, batch: number): Promise<Float64Array> {
    const { i32, timeoutMs } = this;
    this.host.post({ kind: "pingpong", start: this.ping, count: rounds, timeoutMs });
    await this.host.next("armed", timeoutMs);
    const samples = new Float64Array(rounds / batch);
    const end = this.ping + rounds;
    const reached = pingRounds(i32, this.ping, samples, batch, timeoutMs);
    if (reached !== end) return this.abort(`pong ${reached + 1}`);
    this.ping = end;
    await this.host.next("finished", timeoutMs);
    return samples;
  }

  rpc(): Promise<Float64Array> {
    return Promise.reject(unsupportedTest(this.transport, "rpc"));
  }

  async throughput(payloadBytes: number, messages: number): Promise<number> {
    const { i32, u32, timeoutMs } = this;
    const lines = linesPerMessage(payloadBytes);
    const capacity = RING_MESSAGES * lines;
    const words = payloadBytes >> 2;
    const src = new Uint32Array(words);
    let srcSum = 0;
    for (let j = 0; j < words; j++) {
      src[j] = Math.imul(j + 1, 0x9e3779b1) >>> 0;
      srcSum = (srcSum + (src[j] as number)) | 0;
    }
    let seq = this.seq;
    let slot = seq % capacity;
    let consumed = seq;
    this.host.post({ kind: "ring", payloadBytes, messages, startSeq: seq, timeoutMs });
    await this.host.next("armed", timeoutMs);
    const t0 = performance.now();
    for (let m = 0; m < messages; m++) {
      let left = words;
      let off = 0;
      for (let k = 0; k < lines; k++) {
        if (seq - consumed >= capacity) {
          // Full by the cached count: only now re-read CONSUMED (acquire), waiting if it is really full.
          if (waitUntilReached(i32, CONSUMED, seq - capacity + 1, timeoutMs) !== REACHED) {
            return this.abort(`ring space at line ${seq}`);
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
    const target = this.received + messages;
    if (waitUntilReached(i32, RECEIVED, target, timeoutMs) !== REACHED)
      return this.abort("the receiver's count");
    const elapsedNs = (performance.now() - t0) * 1e6;
    this.seq = seq;
    this.received = target;
    const { sum } = await this.host.next("finished", timeoutMs);
    const expected = Math.imul(srcSum, messages) | 0;
    if (sum !== expected) {
      throw new BenchError("WRONG_RESULT", `raw-sab ring: receiver summed ${sum}, sender wrote ${expected}`);
    }
    return elapsedNs;
  }

  async close(): Promise<void> {
    await this.host.terminate();
  }

  /** A spin gave up: stop the worker's loop, surface its crash if that is why, else report the stall. */
  private abort(what: string): Promise<never> {
    return abortRawLoop(this.i32, this.host, "raw-sab", this.timeoutMs, what);
  }
}
