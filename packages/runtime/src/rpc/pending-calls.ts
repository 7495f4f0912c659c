/**
 * The client side of rpc bookkeeping, shared by every generated binding (it was once printed into each
 * stub): tokens, and the calls waiting for their responses. One call at a time — the usual case — lives
 * in fields, so a lone call costs no map traffic; overlapping calls go to a map.
 */

import { isShoalError, ShoalError } from "../errors.js";

interface Pending {
  readonly num: number;
  readonly resolve: (value: never) => void;
  readonly reject: (error: unknown) => void;
}

/** Outstanding rpc calls of one binding, by token. */
export class PendingCalls {
  readonly #iface: string;
  readonly #rpcNames: Readonly<Record<number, string>>;
  #token = 0;
  readonly #pending = new Map<number, Pending>();
  /** Deadlines of the calls that have one (empty unless a timeoutMs was given). */
  readonly #timers = new Map<number, ReturnType<typeof setTimeout>>();
  /** Token of the call kept in fields (0: none). */
  #oneToken = 0;
  #oneNum = 0;
  #oneResolve: ((value: never) => void) | null = null;
  #oneReject: ((error: unknown) => void) | null = null;

  /**
   * `iface` and `rpcNames` (the rpc of each response message number) name the call in the errors its
   * promise rejects with: `ping_pong.testrpc: the peer closed the channel`, messageName `testrpc`.
   */
  constructor(iface = "", rpcNames: Readonly<Record<number, string>> = {}) {
    this.#iface = iface;
    this.#rpcNames = rpcNames;
  }

  /** `error` as the failure of the call waiting for response `num`: named after its rpc. */
  #named(num: number, error: unknown): unknown {
    const rpc = this.#rpcNames[num];
    if (rpc === undefined || !isShoalError(error) || error.messageName !== undefined) return error;
    const where = this.#iface === "" ? rpc : `${this.#iface}.${rpc}`;
    return new ShoalError(error.code, `${where}: ${error.message}`, { messageName: rpc, cause: error });
  }

  /** A fresh token: non-zero (0 means "not an rpc"), wrapping, never one still pending. */
  next(): number {
    do this.#token = this.#token >= 0xffffffff ? 1 : this.#token + 1;
    while (this.#token === this.#oneToken || (this.#pending.size > 0 && this.#pending.has(this.#token)));
    return this.#token;
  }

  /**
   * Registers a call under `token` whose response has message number `num`, before it is sent, so that
   * even an immediate response finds it.
   */
  expect<T>(token: number, num: number, timeoutMs = 0): Promise<T> {
    if (timeoutMs > 0) this.#arm(token, num, timeoutMs);
    return new Promise<T>((resolve, reject) => {
      if (this.#oneToken === 0) {
        this.#oneToken = token;
        this.#oneNum = num;
        this.#oneResolve = resolve as (value: never) => void;
        this.#oneReject = reject;
      } else this.#pending.set(token, { num, resolve: resolve as (value: never) => void, reject });
    });
  }

  /** Starts the deadline of call `token`: TIMEOUT unless it settles within `timeoutMs`. */
  #arm(token: number, num: number, timeoutMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(token);
      const rpc = this.#rpcNames[num] ?? `#${num}`;
      const where = this.#iface === "" ? rpc : `${this.#iface}.${rpc}`;
      this.fail(
        token,
        new ShoalError("TIMEOUT", `${where}: no response within ${timeoutMs} ms`, { messageName: rpc }),
      );
    }, timeoutMs);
    this.#timers.set(token, timer);
  }

  #disarm(token: number): void {
    const timer = this.#timers.get(token);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers.delete(token);
  }

  /** Resolves the call `token` if it waits for message `num`; false when no such call is pending. */
  settle(token: number, num: number, value: unknown): boolean {
    if (this.#timers.size > 0) this.#disarm(token);
    if (token === this.#oneToken && num === this.#oneNum) {
      const resolve = this.#oneResolve as (value: never) => void;
      this.#clearOne();
      resolve(value as never);
      return true;
    }
    const p = this.#pending.get(token);
    if (p === undefined || p.num !== num) return false;
    this.#pending.delete(token);
    p.resolve(value as never);
    return true;
  }

  /** Fails the pending call `token` with `error`, if there is one. */
  fail(token: number, error: unknown): void {
    if (this.#timers.size > 0) this.#disarm(token);
    if (token === this.#oneToken) {
      const reject = this.#oneReject as (error: unknown) => void;
      const num = this.#oneNum;
      this.#clearOne();
      reject(this.#named(num, error));
      return;
    }
    const p = this.#pending.get(token);
    if (p === undefined) return;
    this.#pending.delete(token);
    p.reject(this.#named(p.num, error));
  }

  /** True when a call is waiting under `token`. */
  has(token: number): boolean {
    return token === this.#oneToken || this.#pending.has(token);
  }

  /** Fails every pending call with `error` (the channel closed), each named after its rpc. */
  failAll(error: unknown): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    const oneReject = this.#oneReject;
    const oneNum = this.#oneNum;
    this.#clearOne();
    if (oneReject !== null) oneReject(this.#named(oneNum, error));
    for (const p of pending) p.reject(this.#named(p.num, error));
  }

  #clearOne(): void {
    this.#oneToken = 0;
    this.#oneResolve = null;
    this.#oneReject = null;
  }
}

/** Options of one rpc call (the optional last argument of a generated `rpc.x(...)`). */
export interface CallOptions {
  /** Milliseconds to wait for the response before the call rejects with TIMEOUT (a positive number). */
  readonly timeoutMs?: number;
}

/**
 * The deadline of a call from its options: `fallback` (the binding's; 0 for none) when they set none,
 * -1 when they are invalid.
 */
export function callTimeout(options: CallOptions, fallback: number): number {
  if (typeof options !== "object" || options === null) return -1;
  const ms = options.timeoutMs;
  if (ms === undefined) return fallback;
  return typeof ms === "number" && Number.isFinite(ms) && ms > 0 && ms <= 2 ** 31 - 1 ? ms : -1;
}

/** The rejection of a call whose options {@link callTimeout} refused: BAD_OPTION naming the rpc. */
export function badCallOptions(iface: string, rpc: string, options: unknown): Promise<never> {
  const got =
    typeof options === "object" && options !== null
      ? `timeoutMs ${String((options as { timeoutMs?: unknown }).timeoutMs)}`
      : String(options);
  return Promise.reject(
    new ShoalError(
      "BAD_OPTION",
      `${iface}.${rpc}: call options must be { timeoutMs?: a positive number of milliseconds }, got ${got}`,
      { messageName: rpc },
    ),
  );
}

/** A binding's `timeoutMs`, validated (BAD_OPTION naming the option otherwise). */
export function bindTimeout(ms: unknown): number {
  if (typeof ms === "number" && Number.isFinite(ms) && ms > 0 && ms <= 2 ** 31 - 1) return ms;
  throw new ShoalError(
    "BAD_OPTION",
    `options.timeoutMs must be a positive number of milliseconds (at most ${2 ** 31 - 1}), got ${String(ms)}`,
  );
}
