/**
 * The seam between generated stubs and the transports (see docs/stub-runtime-seam.md).
 *
 * A generated binding class owns one {@link Channel}. It encodes fixed arguments itself, straight-line,
 * into 32-bit words laid out by `flounder layout`; the channel moves lines, strings/arrays (overflow
 * runs) and capabilities, keeps order and flow control, and calls back the {@link Receiver} that the
 * binding gave it. Transports differ only behind this interface.
 */
import type { CapRef } from "./caps.js";
import type { ShoalError } from "./errors.js";

/** The three transports a connection can use, chosen when it is set up. */
export type Transport = "urpc" | "lrpc" | "port";

/** What the framing layer must know about one wire message to receive it and check its shape. */
export interface WireMessageInfo {
  /** `ping`, or an rpc half: `testrpc_call` / `testrpc_response`. */
  readonly name: string;
  /** Lines of fixed data (0 for a message that has only strings/arrays: rule 4 of the layout). */
  readonly lines: number;
  /** Payload words of fixed data actually used (at most `lines * PAYLOAD_WORDS`). */
  readonly words: number;
  /** Upper bound in bytes of each overflow run (string or dynamic array), in argument order. */
  readonly overflow: readonly number[];
  /** Number of capability arguments. */
  readonly caps: number;
}

/** What a binding tells its channel when it opens it. */
export interface InterfaceInfo {
  /** The interface name (`ping_pong`). */
  readonly name: string;
  /** 32 lowercase hex digits: a hash of the interface's canonical model, compared at bind. */
  readonly fingerprint: string;
  /** Indexed by `msgnum - FIRST_MSGNUM`. */
  readonly messages: readonly WireMessageInfo[];
}

/** Callbacks from the channel into the binding. None of them may throw: the runtime catches and reports. */
export interface Receiver {
  /**
   * A message in word form (urpc, port). The fixed payload words start at `w[b]` in line layout
   * (word k at `b + fixedWordAt(k)`, see protocol.ts): `w` may be the ring itself, valid only during the
   * call, so decode before returning. `ovf` holds the overflow runs in argument order; they are fresh
   * arrays the receiver may keep (no copy needed).
   * `token` is 0 for a plain message, the rpc's token for rpc halves.
   */
  onWords(
    num: number,
    token: number,
    w: Uint32Array,
    b: number,
    ovf: readonly Uint8Array[],
    caps: readonly CapRef[],
  ): void;
  /** A message as values (lrpc): `args` in declaration order, byte arrays already copied by the sender. */
  onValues(num: number, token: number, args: readonly unknown[]): void;
  /** The peer's rpc handler failed for the call with this token. */
  onRpcError(token: number, error: ShoalError): void;
  /** A message was dropped (BAD_MESSAGE) or another non-fatal fault happened; the channel goes on. */
  onFault(error: ShoalError): void;
  /** The channel is finished (CLOSED, PEER_DIED, BIND_MISMATCH): fail everything pending with `error`. */
  onClose(error: ShoalError): void;
}

/** Options of {@link Channel.open}. */
export interface OpenOptions {
  /** Milliseconds the peer has to bind its end (a positive number); none: wait as long as it takes. */
  readonly timeoutMs?: number;
}

/** One end of a connection, opened in this thread by {@link openChannel}. */
export interface Channel {
  readonly transport: Transport;
  /** True once closed by either side or after the peer died. */
  /** The interface the channel was opened with (null until open): what each message carries. */
  readonly interfaceInfo?: InterfaceInfo | null;
  readonly closed: boolean;

  /**
   * Starts delivery to `rx` and runs the bind handshake (fingerprints compared; mismatch closes both ends).
   * With `options.timeoutMs`, a peer that has not bound within that time closes the channel with TIMEOUT.
   */
  open(info: InterfaceInfo, rx: Receiver, options?: OpenOptions): void;

  /**
   * Fast path for a one-line message with no overflow and no caps (urpc): the word index of a free line in
   * {@link words}, or -1 when none is free right now or sends are queued (then use {@link send}).
   * The caller writes payload words `words[base .. base + PAYLOAD_WORDS)` and then calls {@link publish}.
   */
  tryLine(): number;
  /** The ring that {@link tryLine} indexes (an empty array on transports without one). */
  readonly words: Uint32Array;
  /** Publishes the line returned by the last {@link tryLine}; the message is then sent. */
  publish(num: number, token: number): void;
  /**
   * Fast path for a message of `n` > 1 lines of fixed words only (urpc): the word index of the first of
   * `n` consecutive free lines (no wrap-around), or -1 (then use {@link send}). The caller writes payload
   * word `k` at `base + (k / PAYLOAD_WORDS | 0) * LINE_WORDS + k % PAYLOAD_WORDS` (the wire layout of the
   * lines) and then calls {@link publishLines} with the same `n`.
   */
  tryLines(n: number): number;
  /** Publishes the `n` lines returned by the last {@link tryLines} as one message; it is then sent. */
  publishLines(num: number, token: number, n: number): void;

  /**
   * General word-form send: fixed words `stage[0 .. nwords)` (copied before return), then the overflow runs,
   * then caps out of band. Resolves when the whole message is in the channel; rejects with CLOSED,
   * PEER_DIED, TX_BUSY (send queue full) or CAP_TRANSFER. Word-form sends (this, {@link publish},
   * {@link publishLines}) never deliver anything to this side before they return, so a binding may make
   * an rpc's promise after sending the call; only lrpc's direct calls can answer within the send.
   */
  send(
    num: number,
    token: number,
    stage: Uint32Array,
    nwords: number,
    ovf: readonly Uint8Array[] | null,
    caps: readonly CapRef[] | null,
  ): Promise<void>;
  /** Value-form send (lrpc): delivers `args` to the peer's {@link Receiver.onValues} in FIFO order. */
  sendValues(num: number, token: number, args: readonly unknown[]): Promise<void>;
  /**
   * lrpc direct call: the peer's {@link Receiver} when a message may be handed to it right now by calling
   * it (both ends open, and no delivery is running further up this thread's stack), else null. After a
   * non-null answer the caller delivers exactly one message (arguments already copied) and then must call
   * {@link leaveDirect}, in a `finally`. Other transports always answer null.
   */
  enterDirect(): Receiver | null;
  /** Ends a direct call begun by {@link enterDirect}: delivers what the handler sent meanwhile, in order. */
  leaveDirect(): void;
  /** Tells the peer that its rpc handler for `token` failed (it sees RPC_FAILED with `message`). */
  sendRpcError(token: number, message: string): void;

  /** True when a send now would go out without queueing (Flounder's can_send). */
  canSend(): boolean;
  /** Resolves when {@link canSend} is true again (Flounder's register_send); rejects if the channel closes. */
  whenSendable(): Promise<void>;
  /** Closes both directions; the peer's pending work fails with CLOSED. Idempotent. */
  close(): Promise<void>;
}
