/**
 * The floor: a hand-written two-thread SharedArrayBuffer ping-pong and ring, no stubs (layout in
 * raw-layout.ts). Main is one side, one worker the other; both spin, so each sits on its own core.
 */
import { WorkerHost } from "../harness/worker-host.js";
import { workerUrl } from "../harness/worker-url.js";
import { allocateRawMemory } from "./raw-layout.js";
import { abortRawLoop, awaitedPingRounds, pingRounds } from "./raw-pingpong.js";
import type { RawReply } from "./raw-protocol.js";
import { checkRingSum, RingSender } from "./raw-ring.js";
import type { Suite } from "./suite.js";

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
  readonly unsupported = {};
  private readonly i32: Int32Array;
  /** Last ping sequence used; sequences keep growing across runs. */
  private ping = 0;
  /** Main's side of the ring (raw-ring.ts), with its sequences across runs. */
  private readonly ring: RingSender;

  constructor(
    memory: SharedArrayBuffer,
    private readonly host: WorkerHost<RawReply>,
    private readonly timeoutMs: number,
  ) {
    this.i32 = new Int32Array(memory);
    this.ring = new RingSender(this.i32);
  }

  pingpong(rounds: number, batch: number): Promise<Float64Array> {
    return this.rounds(rounds, batch, false);
  }

  /** The awaited floor (raw-pingpong.ts): the same exchange, each round trip an awaited call. */
  rpc(rounds: number, batch: number): Promise<Float64Array> {
    return this.rounds(rounds, batch, true);
  }

  private async rounds(rounds: number, batch: number, awaited: boolean): Promise<Float64Array> {
    const { i32, timeoutMs } = this;
    this.host.post({ kind: "pingpong", start: this.ping, count: rounds, timeoutMs });
    await this.host.next("armed", timeoutMs);
    const samples = new Float64Array(rounds / batch);
    const end = this.ping + rounds;
    const reached = awaited
      ? await awaitedPingRounds(i32, this.ping, samples, batch, timeoutMs)
      : pingRounds(i32, this.ping, samples, batch, timeoutMs);
    if (reached !== end) return this.abort(`pong ${reached + 1}`);
    this.ping = end;
    await this.host.next("finished", timeoutMs);
    return samples;
  }

  async throughput(payloadBytes: number, messages: number): Promise<number> {
    const { ring, timeoutMs } = this;
    this.host.post({ kind: "ring", payloadBytes, messages, startSeq: ring.seq, timeoutMs });
    await this.host.next("armed", timeoutMs);
    const elapsedNs = ring.send(payloadBytes, messages, timeoutMs);
    if (typeof elapsedNs === "string") return this.abort(elapsedNs);
    const { sum } = await this.host.next("finished", timeoutMs);
    checkRingSum("raw-sab", payloadBytes, messages, sum);
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
