/**
 * A port channel end: the fallback where SharedArrayBuffer is unavailable. Word-form messages (a copy of
 * the staged words plus overflow runs) travel over a MessagePort. postMessage has no backpressure of its
 * own, so the sender holds credits: it starts with `credits` and spends one per message; the receiver
 * returns them as it delivers, on its next message (as Barrelfish's UMP acknowledges on the reverse
 * channel), or on a credit message of their own once half the window is owed and no message went back
 * (a one-way stream). Without credit, sends queue (TX_BUSY past the send-queue bound) and `canSend()`
 * is false.
 */
import type { MessagePort } from "node:worker_threads";
import type { CapRef } from "../caps.js";
import type { InterfaceInfo } from "../channel.js";
import {
  bindMismatch,
  ChannelBase,
  fingerprintHex,
  fingerprintWords,
  NO_CAPS,
  NO_RUNS,
  RESOLVED,
} from "../core/channel-base.js";
import type { PortEndpoint } from "../endpoint.js";
import { ShoalError } from "../errors.js";
import {
  BIND_WORDS,
  FIRST_MSGNUM,
  LINE_WORDS,
  MSGNUM_BIND,
  PAYLOAD_WORDS,
  stagedLength,
} from "../protocol.js";

/** Wire form over the port. */
type PortMessage =
  | readonly [
      kind: typeof K_MSG,
      num: number,
      token: number,
      words: Uint32Array,
      runs: readonly Uint8Array[] | null,
      credits: number,
    ]
  | readonly [kind: typeof K_CREDIT, n: number]
  | readonly [kind: typeof K_RPC_ERROR, token: number, text: string]
  | readonly [kind: typeof K_BYE, why: typeof BYE_CLOSED | typeof BYE_MISMATCH | typeof BYE_ABANDONED];

const K_MSG = 0;
const K_CREDIT = 1;
const K_RPC_ERROR = 2;
const K_BYE = 3;
const BYE_CLOSED = 0;
const BYE_MISMATCH = 1;
/** Said for an end that was garbage-collected without ever being bound (see abandon.ts). */
const BYE_ABANDONED = 2;

interface Queued {
  readonly num: number;
  readonly token: number;
  readonly words: Uint32Array;
  readonly runs: readonly Uint8Array[] | null;
  readonly resolve: () => void;
  readonly reject: (e: ShoalError) => void;
}

const claimed = new WeakSet<MessagePort>();

/** True when `port` is the port of an endpoint bound in this thread. */
export function isPortClaimed(port: MessagePort): boolean {
  return claimed.has(port);
}

/** Tells the peer of an end that was dropped without being bound, and closes that end's port. */
export function abandonPort(port: MessagePort): void {
  port.postMessage([K_BYE, BYE_ABANDONED] satisfies PortMessage);
  port.close();
}

/** One end of a port connection. */
export class PortChannel extends ChannelBase {
  readonly transport = "port" as const;
  /** A one-line staging area for the stubs' fast path (`tryLine` returns 0 when a send may go now). */
  override readonly words = new Uint32Array(LINE_WORDS);
  private readonly port: MessagePort;
  private readonly window: number;
  private readonly sendQueue: number;
  private credits: number;
  private delivered = 0;
  private queue: Queued[] = [];
  private peerSaid: number | null = null;
  private fp: Uint32Array | null = null;

  constructor(ep: PortEndpoint) {
    super();
    if (claimed.has(ep.port))
      throw new ShoalError("BAD_ENDPOINT", `port endpoint ${ep.id} side ${ep.side} is already bound`);
    claimed.add(ep.port);
    this.port = ep.port;
    this.window = ep.credits;
    this.credits = ep.credits;
    this.sendQueue = ep.sendQueue;
    this.port.on("close", () => this.peerGone());
  }

  tryLine(): number {
    return !this.closed && this.credits > 0 && this.queue.length === 0 ? 0 : -1;
  }

  publish(num: number, token: number): void {
    this.postNow(num, token, this.words.slice(0, PAYLOAD_WORDS), null);
  }

  /** Spends a credit and posts a message, returning the credits owed to the peer with it. */
  private postNow(num: number, token: number, words: Uint32Array, runs: readonly Uint8Array[] | null): void {
    this.credits--;
    const owed = this.delivered;
    this.delivered = 0;
    this.port.postMessage([K_MSG, num, token, words, runs, owed] satisfies PortMessage);
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
      return Promise.reject(
        this.forMessage(
          num,
          new ShoalError(
            "CAP_TRANSFER",
            "capabilities cannot travel over a port channel until the monitor exists",
          ),
        ),
      );
    }
    const runs = ovf === null || ovf.length === 0 ? null : ovf.map((r) => r.slice());
    return this.post(num, token, stage.slice(0, stagedLength(nwords)), runs);
  }

  private post(
    num: number,
    token: number,
    words: Uint32Array,
    runs: readonly Uint8Array[] | null,
  ): Promise<void> {
    if (this.credits > 0 && this.queue.length === 0) {
      this.postNow(num, token, words, runs);
      return RESOLVED;
    }
    if (this.queue.length >= this.sendQueue) {
      return Promise.reject(
        this.forMessage(num, new ShoalError("TX_BUSY", `send queue is full (${this.sendQueue} messages)`)),
      );
    }
    return new Promise<void>((resolve, reject) =>
      this.queue.push({ num, token, words, runs, resolve, reject }),
    );
  }

  sendValues(num: number, token: number, args: readonly unknown[]): Promise<void> {
    void num;
    void token;
    void args;
    return Promise.reject(
      new ShoalError("BAD_ENDPOINT", "port channels carry words: use send/tryLine (sendValues is lrpc's)"),
    );
  }

  sendRpcError(token: number, message: string): void {
    if (this.closed) return;
    // Control traffic: not counted against credits (it answers a call the peer is waiting for).
    this.port.postMessage([K_RPC_ERROR, token, message] satisfies PortMessage);
  }

  canSend(): boolean {
    return !this.closed && this.credits > 0 && this.queue.length === 0;
  }

  protected opened(info: InterfaceInfo): void {
    this.fp = fingerprintWords(info);
    this.port.on("message", (m: PortMessage) => this.received(m));
    const bind = new Uint32Array(BIND_WORDS);
    bind.set(this.fp);
    void this.post(MSGNUM_BIND, 0, bind, null).catch(() => {
      // Fails only when the channel closed, which the binding hears through onClose.
    });
  }

  private received(m: PortMessage): void {
    if (this.closed) return;
    if (!Array.isArray(m)) {
      this.bad("a port message that is not a shoal message");
      return;
    }
    switch (m[0]) {
      case K_MSG: {
        if (!this.creditsBack(m[5])) return;
        this.message(m[1], m[2], m[3], m[4]);
        return;
      }
      case K_CREDIT:
        this.creditsBack(m[1]);
        return;
      case K_RPC_ERROR:
        try {
          this.rx?.onRpcError(m[1], new ShoalError("RPC_FAILED", String(m[2])));
        } catch (e) {
          this.handlerThrew(e, "an rpc error");
        }
        return;
      case K_BYE:
        this.peerSaid = m[1];
        return;
      default: {
        this.bad(`unknown port message kind ${String((m as unknown[])[0])}`);
        return;
      }
    }
  }

  private message(num: number, token: number, words: unknown, runs: unknown): void {
    this.returnCredit();
    if (!(words instanceof Uint32Array)) {
      this.bad(`message ${num}: words are not a Uint32Array`);
      return;
    }
    if (num === MSGNUM_BIND) {
      this.peerBound(words);
      return;
    }
    const info = this.info;
    const shape = info === null ? undefined : info.messages[num - FIRST_MSGNUM];
    if (shape === undefined || typeof token !== "number") {
      this.bad(`unknown message number ${num}`);
      return;
    }
    const list = runs === null ? NO_RUNS : runs;
    if (!Array.isArray(list) || list.length !== shape.overflow.length) {
      this.bad(`message ${num}: expected ${shape.overflow.length} overflow runs`);
      return;
    }
    for (let i = 0; i < list.length; i++) {
      const r: unknown = list[i];
      const bound = shape.overflow[i] as number;
      if (!(r instanceof Uint8Array)) {
        this.bad(`message ${num}: overflow run ${i} is not a Uint8Array`);
        return;
      }
      if (r.length > bound) {
        this.bad(`message ${num}: overflow run ${i} of ${r.length} bytes exceeds its bound of ${bound}`);
        return;
      }
    }
    const need = stagedLength(Math.max(1, shape.lines) * PAYLOAD_WORDS);
    if (words.length > need) {
      this.bad(`message ${num}: ${words.length} words, more than its ${shape.lines} lines hold`);
      return;
    }
    let w = words;
    if (w.length < need) {
      w = new Uint32Array(need);
      w.set(words);
    }
    try {
      this.rx?.onWords(num, token, w, 0, list as Uint8Array[], NO_CAPS);
    } catch (e) {
      this.handlerThrew(e, `message ${num}`);
    }
  }

  private returnCredit(): void {
    this.delivered++;
    if (this.delivered * 2 >= this.window) {
      this.port.postMessage([K_CREDIT, this.delivered] satisfies PortMessage);
      this.delivered = 0;
    }
  }

  /**
   * Credits the peer returned (on a message or on their own). More than the window could ever owe is a
   * corrupt or foreign message: reported, and the credits are not taken (false).
   */
  private creditsBack(n: unknown): boolean {
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || this.credits + n > this.window) {
      this.bad(`a credit return of ${String(n)} with ${this.credits} of ${this.window} credits held`);
      return false;
    }
    if (n === 0) return true;
    this.credits += n;
    this.drainQueue();
    return true;
  }

  private drainQueue(): void {
    while (this.credits > 0 && this.queue.length > 0) {
      const q = this.queue.shift() as Queued;
      this.postNow(q.num, q.token, q.words, q.runs);
      q.resolve();
    }
    this.wakeSendable();
  }

  private peerBound(words: Uint32Array): void {
    const mine = this.fp;
    if (mine === null || this.info === null) return;
    for (let i = 0; i < BIND_WORDS; i++) {
      if (words[i] !== mine[i]) {
        this.port.postMessage([K_BYE, BYE_MISMATCH] satisfies PortMessage);
        this.finish(bindMismatch(this.info, fingerprintHex(words)));
        return;
      }
    }
    this.peerBoundOk();
  }

  private bad(reason: string): void {
    this.fault(new ShoalError("BAD_MESSAGE", `${this.info?.name ?? "port"}: ${reason}`));
  }

  private peerGone(): void {
    const name = this.info?.name ?? "port";
    if (this.peerSaid === BYE_CLOSED)
      this.finish(new ShoalError("CLOSED", `${name}: the peer closed the channel`));
    else if (this.peerSaid === BYE_ABANDONED)
      this.finish(
        new ShoalError("PEER_DIED", `${name}: the peer's endpoint was dropped without being bound`),
      );
    else if (this.peerSaid === BYE_MISMATCH)
      this.finish(
        new ShoalError("BIND_MISMATCH", `${name}: the peer rejected this end's interface fingerprint`),
      );
    else this.finish(new ShoalError("PEER_DIED", `${name}: the peer's thread exited or crashed`));
  }

  protected released(error: ShoalError): void {
    const q = this.queue;
    this.queue = [];
    for (const e of q) e.reject(this.forMessage(e.num, error));
    this.port.close();
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.port.postMessage([K_BYE, BYE_CLOSED] satisfies PortMessage);
      this.finish(new ShoalError("CLOSED", `${this.info?.name ?? "port"}: channel closed`));
    }
    return RESOLVED;
  }
}
