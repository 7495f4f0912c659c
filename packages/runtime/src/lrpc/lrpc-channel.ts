/**
 * An lrpc channel end: both ends live in one thread, and a send calls the peer's receiver directly,
 * through this thread's trampoline (constant stack, FIFO), with mutable values copied. No encoding:
 * stubs use `sendValues`; `send` (word form) works too, for code that only has words.
 */
import { type CapRef, capTransport } from "../caps.js";
import type { InterfaceInfo, Receiver } from "../channel.js";
import { bindMismatch, ChannelBase, NO_CAPS, NO_RUNS, RESOLVED } from "../core/channel-base.js";
import type { LrpcEndpoint } from "../endpoint.js";
import { ShoalError } from "../errors.js";
import { MSGNUM_RPC_ERROR, PAYLOAD_WORDS } from "../protocol.js";
import { copyArgs } from "./copy-values.js";
import { enqueue, enqueueAll, enterDirect, type LrpcTarget, leaveDirect } from "./trampoline.js";

/** A word-form message in flight (its arrays are copies). */
class WordsPayload {
  constructor(
    readonly words: Uint32Array,
    readonly runs: readonly Uint8Array[],
    readonly caps: readonly CapRef[],
  ) {}
}

/** A message sent before the peer opened its end. */
interface Early {
  readonly num: number;
  readonly token: number;
  readonly payload: unknown;
}

/** Both ends of an lrpc connection, known only to the thread that created it. */
export interface LrpcPair {
  readonly ends: [LrpcChannel | null, LrpcChannel | null];
  readonly early: [Early[], Early[]];
}

const pairs = new Map<string, LrpcPair>();

/**
 * End `side` of pair `id` was garbage-collected without being bound: its peer, if open, fails with
 * PEER_DIED instead of waiting forever (see abandon.ts).
 */
export function abandonLrpcEnd(id: string, side: 0 | 1): void {
  const pair = pairs.get(id);
  if (pair === undefined || pair.ends[side] !== null) return;
  const peer = pair.ends[1 - side];
  if (peer == null || peer.closed) return;
  peer.peerAbandoned();
}

/** Registers a new pair (by `connectPair`). */
export function registerLrpcPair(id: string): void {
  pairs.set(id, { ends: [null, null], early: [[], []] });
}

/** One end of an lrpc connection. */
export class LrpcChannel extends ChannelBase implements LrpcTarget {
  readonly transport = "lrpc" as const;
  private readonly pair: LrpcPair;
  private readonly side: 0 | 1;
  private readonly pairId: string;

  constructor(ep: LrpcEndpoint, pair: LrpcPair) {
    super();
    this.pair = pair;
    this.pairId = ep.id;
    this.side = ep.side;
  }

  /** Finds the pair of `ep` in this thread, or explains why it cannot be used here. */
  static claim(ep: LrpcEndpoint, thread: number): LrpcChannel {
    const pair = pairs.get(ep.id);
    if (ep.thread !== thread || pair === undefined) {
      throw new ShoalError(
        "BAD_ENDPOINT",
        `lrpc endpoint ${ep.id} is not usable here: lrpc works only in the thread that created the pair (thread ${ep.thread}), and only until both ends closed`,
      );
    }
    if (pair.ends[ep.side] !== null)
      throw new ShoalError("BAD_ENDPOINT", `lrpc endpoint ${ep.id} side ${ep.side} is already bound`);
    const ch = new LrpcChannel(ep, pair);
    pair.ends[ep.side] = ch;
    return ch;
  }

  private peer(): LrpcChannel | null {
    return this.pair.ends[1 - this.side] ?? null;
  }

  /** Hands a message to the peer, or parks it until the peer opens. */
  private post(num: number, token: number, payload: unknown): void {
    const peer = this.peer();
    if (peer !== null && peer.rx !== null) enqueue(peer, num, token, payload);
    else this.pair.early[this.side === 0 ? 1 : 0].push({ num, token, payload });
  }

  /** LrpcTarget: runs one delivery (called by the trampoline). */
  deliver(num: number, token: number, payload: unknown): void {
    const rx = this.rx;
    if (rx === null || this.closed) return;
    try {
      if (num === MSGNUM_RPC_ERROR) rx.onRpcError(token, new ShoalError("RPC_FAILED", payload as string));
      else if (payload instanceof WordsPayload)
        rx.onWords(num, token, payload.words, 0, payload.runs, payload.caps);
      else rx.onValues(num, token, payload as readonly unknown[]);
    } catch (e) {
      this.handlerThrew(e, `message ${num}`);
    }
  }

  /**
   * The peer's receiver for a direct call, when FIFO order allows one: both ends open and no delivery
   * running further up the stack (then nothing is queued or parked, so the call overtakes nothing).
   */
  override enterDirect(): Receiver | null {
    if (this.closed) return null;
    const peer = this.pair.ends[1 - this.side];
    if (peer == null || peer.closed) return null;
    const rx = peer.rx;
    if (rx === null || !enterDirect()) return null;
    return rx;
  }

  override leaveDirect(): void {
    leaveDirect();
  }

  tryLine(): number {
    return -1;
  }

  publish(num: number, token: number): void {
    void num;
    void token;
    throw new ShoalError(
      "BAD_ENDPOINT",
      "lrpc has no ring: tryLine always returns -1, so publish is never valid",
    );
  }

  sendValues(num: number, token: number, args: readonly unknown[]): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError(num));
    this.post(num, token, copyArgs(args));
    return RESOLVED;
  }

  send(
    num: number,
    token: number,
    stage: Uint32Array,
    nwords: number,
    ovf: readonly Uint8Array[] | null,
    caps: readonly CapRef[] | null,
  ): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError(num));
    if (caps !== null && caps.length > 0) {
      try {
        capTransport()?.check(caps);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const runs = ovf === null || ovf.length === 0 ? NO_RUNS : ovf.map((r) => r.slice());
    const lines = Math.max(1, Math.ceil(nwords / PAYLOAD_WORDS));
    const words = new Uint32Array(lines * PAYLOAD_WORDS);
    words.set(stage.subarray(0, nwords));
    this.post(num, token, new WordsPayload(words, runs, caps ?? NO_CAPS));
    return RESOLVED;
  }

  sendRpcError(token: number, message: string): void {
    if (!this.closed) this.post(MSGNUM_RPC_ERROR, token, message);
  }

  canSend(): boolean {
    return !this.closed;
  }

  protected opened(info: InterfaceInfo): void {
    const peer = this.peer();
    if (peer?.info != null && peer.info.fingerprint !== info.fingerprint) {
      const mine = bindMismatch(info, peer.info.fingerprint);
      const theirs = bindMismatch(peer.info, info.fingerprint);
      this.finish(mine);
      peer.finish(theirs);
      return;
    }
    if (peer?.info != null) {
      this.peerBoundOk();
      peer.peerBoundOk();
    }
    const early = this.pair.early[this.side];
    this.pair.early[this.side] = [];
    enqueueAll(this, early);
  }

  protected released(error: ShoalError): void {
    void error;
    this.pair.early[this.side] = [];
    // The ends stay in the pair (closed), so binding a used endpoint again is still BAD_ENDPOINT.
    const other = this.peer();
    if (other === null || other.closed) pairs.delete(this.pairId);
  }

  /** The other end was dropped without being bound. */
  peerAbandoned(): void {
    const name = this.info?.name ?? "lrpc";
    this.finish(new ShoalError("PEER_DIED", `${name}: the peer's endpoint was dropped without being bound`));
  }

  close(): Promise<void> {
    if (this.closed) return RESOLVED;
    const name = this.info?.name ?? "lrpc";
    this.finish(new ShoalError("CLOSED", `${name}: channel closed`));
    this.peer()?.finish(new ShoalError("CLOSED", `${name}: the peer closed the channel`));
    return RESOLVED;
  }
}
