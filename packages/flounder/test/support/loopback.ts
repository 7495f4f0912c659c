/**
 * A same-thread loopback pair of {@link Channel}s that behaves like the runtime's transports as far as a
 * generated binding can tell: urpc (a ring with the zero-copy line path), port (word form only) and lrpc
 * (value form). Delivery is asynchronous and FIFO (microtasks), the bind handshake compares fingerprints,
 * and the receiving end checks the line count and overflow bounds that the layout promises. `tap`
 * records every word-form message sent, for the corruption tests.
 */
import type { CapRef, Channel, InterfaceInfo, Receiver, Transport } from "@shoal/runtime";
import { FIRST_MSGNUM, LINE_WORDS, PAYLOAD_WORDS, ShoalError, stagedLength } from "@shoal/runtime";

/** A word-form message as it was sent. */
export interface Sent {
  readonly num: number;
  readonly token: number;
  readonly words: Uint32Array;
  readonly ovf: readonly Uint8Array[];
  readonly caps: readonly CapRef[];
}

type Delivery = (rx: Receiver) => void;

class End implements Channel {
  readonly transport: Transport;
  closed = false;
  peer!: End;
  info: InterfaceInfo | undefined;
  rx: Receiver | undefined;
  readonly inbox: Delivery[] = [];
  readonly words: Uint32Array;
  readonly tap: Sent[] = [];
  #line = 0;

  constructor(transport: Transport) {
    this.transport = transport;
    this.words = new Uint32Array(transport === "urpc" ? 4 * LINE_WORDS : 0);
  }

  open(info: InterfaceInfo, rx: Receiver): void {
    this.info = info;
    this.rx = rx;
    const peer = this.peer;
    if (peer.info === undefined) return;
    if (peer.info.fingerprint !== info.fingerprint) {
      const e = new ShoalError(
        "BIND_MISMATCH",
        `interface ${info.name} ${info.fingerprint} cannot bind to ${peer.info.name} ${peer.info.fingerprint}`,
      );
      this.finish(e);
      return;
    }
    this.flush();
    peer.flush();
  }

  finish(e: ShoalError): void {
    for (const end of [this, this.peer]) {
      if (end.closed) continue;
      end.closed = true;
      end.rx?.onClose(e);
    }
  }

  /** Schedules deliveries once both ends are open. */
  flush(): void {
    if (this.rx === undefined || this.peer.info === undefined) return;
    const rx = this.rx;
    queueMicrotask(() => {
      while (this.inbox.length > 0 && !this.closed) this.inbox.shift()?.(rx);
    });
  }

  #post(d: Delivery): Promise<void> {
    if (this.closed) return Promise.reject(new ShoalError("CLOSED", "loopback closed"));
    this.peer.inbox.push(d);
    this.peer.flush();
    return Promise.resolve();
  }

  /** No multi-line fast path: such messages go through `send` (their encoding is checked there). */
  tryLines(n: number): number {
    void n;
    return -1;
  }

  publishLines(num: number, token: number, n: number): void {
    throw new ShoalError("BAD_ENDPOINT", `loopback publishLines(${num}, ${token}, ${n}) without tryLines`);
  }

  /** The loopback delivers asynchronously on every transport: never a direct call. */
  enterDirect(): Receiver | null {
    return null;
  }

  leaveDirect(): void {}

  tryLine(): number {
    if (this.transport !== "urpc" || this.closed) return -1;
    this.#line = (this.#line + 1) % 4;
    return this.#line * LINE_WORDS;
  }

  publish(num: number, token: number): void {
    const base = this.#line * LINE_WORDS;
    void this.send(num, token, this.words.subarray(base, base + PAYLOAD_WORDS), PAYLOAD_WORDS, null, null);
  }

  send(
    num: number,
    token: number,
    stage: Uint32Array,
    nwords: number,
    ovf: readonly Uint8Array[] | null,
    caps: readonly CapRef[] | null,
  ): Promise<void> {
    // Deliver at a non-zero base, as a ring would, so decoders that ignore `b` fail the tests.
    // Fixed words are in line layout (16-word lines), as in the ring.
    const w = new Uint32Array(LINE_WORDS + stagedLength(nwords));
    w.set(stage.subarray(0, stagedLength(nwords)), LINE_WORDS);
    const runs = (ovf ?? []).map((r) => r.slice());
    const sent: Sent = { num, token, words: w.slice(LINE_WORDS), ovf: runs, caps: [...(caps ?? [])] };
    this.tap.push(sent);
    return this.#post((rx) => {
      const m = this.peer.info?.messages[num - FIRST_MSGNUM];
      if (m === undefined) return rx.onFault(new ShoalError("BAD_MESSAGE", `unknown message number ${num}`));
      if (nwords > Math.max(1, m.lines) * PAYLOAD_WORDS || runs.length !== m.overflow.length)
        return rx.onFault(new ShoalError("BAD_MESSAGE", `${m.name}: wrong shape`, { messageName: m.name }));
      rx.onWords(num, token, w, LINE_WORDS, runs, sent.caps);
    });
  }

  sendValues(num: number, token: number, args: readonly unknown[]): Promise<void> {
    return this.#post((rx) => rx.onValues(num, token, args));
  }

  sendRpcError(token: number, message: string): void {
    void this.#post((rx) => rx.onRpcError(token, new ShoalError("RPC_FAILED", message)));
  }

  canSend(): boolean {
    return !this.closed;
  }

  whenSendable(): Promise<void> {
    return this.closed ? Promise.reject(new ShoalError("CLOSED", "loopback closed")) : Promise.resolve();
  }

  close(): Promise<void> {
    this.finish(new ShoalError("CLOSED", "loopback closed"));
    return Promise.resolve();
  }
}

/** Two connected loopback channels. */
export function loopbackPair(transport: Transport): [End, End] {
  const a = new End(transport);
  const b = new End(transport);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** Resolves after every queued microtask delivery has run (loopback delivery never touches timers). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export type LoopbackEnd = End;
