/**
 * The client side of rpc bookkeeping, shared by every generated binding (it was once printed into each
 * stub): tokens, and the calls waiting for their responses. One call at a time — the usual case — lives
 * in fields, so a lone call costs no map traffic; overlapping calls go to a map.
 */

interface Pending {
  readonly num: number;
  readonly resolve: (value: never) => void;
  readonly reject: (error: unknown) => void;
}

/** Outstanding rpc calls of one binding, by token. */
export class PendingCalls {
  #token = 0;
  readonly #pending = new Map<number, Pending>();
  /** Token of the call kept in fields (0: none). */
  #oneToken = 0;
  #oneNum = 0;
  #oneResolve: ((value: never) => void) | null = null;
  #oneReject: ((error: unknown) => void) | null = null;

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
  expect<T>(token: number, num: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#oneToken === 0) {
        this.#oneToken = token;
        this.#oneNum = num;
        this.#oneResolve = resolve as (value: never) => void;
        this.#oneReject = reject;
      } else this.#pending.set(token, { num, resolve: resolve as (value: never) => void, reject });
    });
  }

  /** Resolves the call `token` if it waits for message `num`; false when no such call is pending. */
  settle(token: number, num: number, value: unknown): boolean {
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
    if (token === this.#oneToken) {
      const reject = this.#oneReject as (error: unknown) => void;
      this.#clearOne();
      reject(error);
      return;
    }
    const p = this.#pending.get(token);
    if (p === undefined) return;
    this.#pending.delete(token);
    p.reject(error);
  }

  /** Fails every pending call with `error` (the channel closed). */
  failAll(error: unknown): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    const oneReject = this.#oneReject;
    this.#clearOne();
    if (oneReject !== null) oneReject(error);
    for (const p of pending) p.reject(error);
  }

  #clearOne(): void {
    this.#oneToken = 0;
    this.#oneResolve = null;
    this.#oneReject = null;
  }
}
