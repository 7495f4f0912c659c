/**
 * What the three transports share: the open/close life cycle, fan-out of faults to the binding's
 * {@link Receiver} (which must never see an exception escape), the bind fingerprint, and the queue of
 * `whenSendable` waiters. Transports implement moving messages.
 */
import type { CapRef } from "../caps.js";
import type { Channel, InterfaceInfo, OpenOptions, Receiver, Transport } from "../channel.js";
import { isShoalError, ShoalError } from "../errors.js";
import { BIND_WORDS, FIRST_MSGNUM } from "../protocol.js";

/** A promise that is already resolved: returned by sends that completed synchronously (no allocation). */
export const RESOLVED: Promise<void> = Promise.resolve();
/** The empty overflow/caps list handed to receivers. */
export const NO_RUNS: readonly Uint8Array[] = Object.freeze([]);
/** The empty caps list handed to receivers. */
export const NO_CAPS: readonly CapRef[] = Object.freeze([]);
/** The empty ring of transports without one. */
export const NO_WORDS = new Uint32Array(0);

interface Waiter {
  resolve(): void;
  reject(e: ShoalError): void;
}

/** Parses a 32-hex-digit fingerprint into the 4 words of the bind message. */
export function fingerprintWords(info: InterfaceInfo): Uint32Array {
  const fp = info.fingerprint;
  if (typeof fp !== "string" || !/^[0-9a-f]{32}$/.test(fp)) {
    throw new ShoalError(
      "BAD_OPTION",
      `interface ${info.name}: fingerprint must be 32 lowercase hex digits, got ${String(fp)}`,
    );
  }
  const w = new Uint32Array(BIND_WORDS);
  for (let i = 0; i < BIND_WORDS; i++) w[i] = Number.parseInt(fp.slice(i * 8, i * 8 + 8), 16);
  return w;
}

/** Formats bind words back into the hex fingerprint, for error messages. */
export function fingerprintHex(w: ArrayLike<number>, base = 0): string {
  let s = "";
  for (let i = 0; i < BIND_WORDS; i++) s += ((w[base + i] ?? 0) >>> 0).toString(16).padStart(8, "0");
  return s;
}

/** The BIND_MISMATCH error, naming the interface and both fingerprints. */
export function bindMismatch(info: InterfaceInfo, peerFingerprint: string): ShoalError {
  return new ShoalError(
    "BIND_MISMATCH",
    `interface ${info.name}: this end has fingerprint ${info.fingerprint}, the peer ${peerFingerprint}; ` +
      "both ends must be generated from the same interface definition",
  );
}

/** Validates an optional timeout: undefined, or a positive finite number of milliseconds (BAD_OPTION). */
export function checkTimeout(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > 2 ** 31 - 1) {
    throw new ShoalError(
      "BAD_OPTION",
      `options.${name} must be a positive number of milliseconds (at most ${2 ** 31 - 1}), got ${String(value)}`,
    );
  }
  return value;
}

/** Base class of the transports' channels. */
export abstract class ChannelBase implements Channel {
  abstract readonly transport: Transport;
  words: Uint32Array = NO_WORDS;
  closed = false;
  /** Set by {@link open}. */
  protected info: InterfaceInfo | null = null;

  get interfaceInfo(): InterfaceInfo | null {
    return this.info;
  }
  protected rx: Receiver | null = null;
  private waiters: Waiter[] = [];

  open(info: InterfaceInfo, rx: Receiver, options?: OpenOptions): void {
    if (this.rx !== null)
      throw new ShoalError("BAD_ENDPOINT", `channel already opened (interface ${this.info?.name})`);
    if (this.closed) throw new ShoalError("CLOSED", `interface ${info.name}: channel is closed`);
    fingerprintWords(info);
    const timeoutMs = checkTimeout(options?.timeoutMs, "timeoutMs");
    this.info = info;
    this.rx = rx;
    if (timeoutMs !== undefined && !this.peerHasBound) {
      this.bindTimer = setTimeout(() => {
        this.bindTimer = undefined;
        this.finish(
          new ShoalError("TIMEOUT", `interface ${info.name}: the peer did not bind within ${timeoutMs} ms`),
        );
      }, timeoutMs);
    }
    this.opened(info);
  }

  /** Set once the peer's bind message (or the peer itself, on lrpc) has been seen. */
  protected peerHasBound = false;
  private bindTimer: ReturnType<typeof setTimeout> | undefined;

  /** Transports call this when the peer has bound its end (its fingerprint matched). */
  protected peerBoundOk(): void {
    this.peerHasBound = true;
    if (this.bindTimer !== undefined) {
      clearTimeout(this.bindTimer);
      this.bindTimer = undefined;
    }
  }

  /** Transport hook: start delivery and send the bind message. */
  protected abstract opened(info: InterfaceInfo): void;
  /** Transport hook: fail queued sends with `error` and release resources (port, dispatcher). */
  protected abstract released(error: ShoalError): void;

  abstract tryLine(): number;
  abstract publish(num: number, token: number): void;

  /** No ring: the multi-line fast path never applies (urpc overrides this). */
  tryLines(n: number): number {
    void n;
    return -1;
  }

  /** Never valid where {@link tryLines} returns -1. */
  publishLines(num: number, token: number, n: number): void {
    void num;
    void token;
    void n;
    throw new ShoalError("BAD_ENDPOINT", `${this.transport} has no ring: publishLines is never valid`);
  }
  abstract send(
    num: number,
    token: number,
    stage: Uint32Array,
    nwords: number,
    ovf: readonly Uint8Array[] | null,
    caps: readonly CapRef[] | null,
  ): Promise<void>;
  abstract sendValues(num: number, token: number, args: readonly unknown[]): Promise<void>;
  abstract sendRpcError(token: number, message: string): void;

  /** No direct calls except on lrpc (which overrides this). */
  enterDirect(): Receiver | null {
    return null;
  }

  /** Only lrpc has direct calls to end. */
  leaveDirect(): void {}
  abstract canSend(): boolean;
  abstract close(): Promise<void>;

  whenSendable(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    if (this.canSend()) return RESOLVED;
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.wantSendable();
    return p;
  }

  /** Transport hook: a `whenSendable` waiter arrived (urpc asks the receiver to publish its index). */
  protected wantSendable(): void {}

  /** True while `whenSendable` callers wait. */
  protected hasSendWaiters(): boolean {
    return this.waiters.length > 0;
  }

  /** Resolves `whenSendable` waiters once sending is possible again (transports call it after draining). */
  protected wakeSendable(): void {
    if (this.waiters.length === 0 || !this.canSend()) return;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w.resolve();
  }

  /**
   * The error of an operation on a closed channel; with message number `num`, named after that message
   * (`ping_pong.ping: the peer's thread exited or crashed`, messageName `ping`).
   */
  protected closedError(num?: number): ShoalError {
    const reason =
      this.closeReason ??
      new ShoalError("CLOSED", `interface ${this.info?.name ?? "(unopened)"}: channel is closed`);
    return num === undefined ? reason : this.forMessage(num, reason);
  }

  /** The name of message `num` of this channel's interface, or undefined for reserved numbers. */
  protected messageName(num: number): string | undefined {
    return num >= FIRST_MSGNUM ? this.info?.messages[num - FIRST_MSGNUM]?.name : undefined;
  }

  /** `error` about message `num`: the same code, the message named in the text and in `messageName`. */
  protected forMessage(num: number, error: ShoalError): ShoalError {
    const name = this.messageName(num);
    if (name === undefined || error.messageName !== undefined) return error;
    return new ShoalError(error.code, `${this.info?.name ?? "channel"}.${name}: ${error.message}`, {
      messageName: name,
      cause: error,
    });
  }

  /** Why the channel finished (set by {@link finish}). */
  protected closeReason: ShoalError | null = null;

  /** Ends the channel once: fails pending work with `error` and tells the binding. */
  protected finish(error: ShoalError): void {
    if (this.closed) return;
    this.closed = true;
    if (this.bindTimer !== undefined) {
      clearTimeout(this.bindTimer);
      this.bindTimer = undefined;
    }
    this.closeReason = error;
    this.released(error);
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w.reject(error);
    const rx = this.rx;
    if (rx !== null) {
      try {
        rx.onClose(error);
      } catch {
        // Receiver callbacks must not throw; nothing sensible is left to tell after a close.
      }
    }
  }

  /** Reports a non-fatal fault to the binding, never letting its handler's exception escape. */
  protected fault(error: ShoalError): void {
    const rx = this.rx;
    if (rx === null) return;
    try {
      rx.onFault(error);
    } catch {
      // The binding's fault handler failed: there is nobody left to report to.
    }
  }

  /** Turns an exception thrown by a receiver callback into a fault report. */
  protected handlerThrew(e: unknown, what: string): void {
    this.fault(
      isShoalError(e)
        ? e
        : new ShoalError(
            "HANDLER_FAILED",
            `${this.info?.name ?? "channel"}: receiver threw while handling ${what}: ${String(e)}`,
            {
              cause: e,
            },
          ),
    );
  }
}
