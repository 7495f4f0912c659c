/**
 * The name service, served by core 0's monitor: names to irefs, lookups that wait until a name is
 * registered (bounded by the caller's deadline), and the names of a dead core dropped.
 */

interface Waiter {
  readonly resolve: (iref: number | string) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** Longest name. */
export const MAX_NAME_BYTES = 255;

/** The registry. */
export class NameServer {
  readonly #names = new Map<string, number>();
  readonly #waiters = new Map<string, Waiter[]>();

  /** Registers `name`: "" on success, else why not. */
  register(name: string, iref: number): string {
    if (name.length === 0 || Buffer.byteLength(name) > MAX_NAME_BYTES)
      return `a name must be 1..${MAX_NAME_BYTES} bytes, got ${Buffer.byteLength(name)}`;
    const had = this.#names.get(name);
    if (had !== undefined) return `the name '${name}' is taken (iref ${had})`;
    this.#names.set(name, iref);
    const ws = this.#waiters.get(name) ?? [];
    this.#waiters.delete(name);
    for (const w of ws) {
      clearTimeout(w.timer);
      w.resolve(iref);
    }
    return "";
  }

  /** The iref of `name`, waiting up to `timeoutMs` for it; a string says why there is none. */
  lookup(name: string, timeoutMs: number): Promise<number | string> {
    const iref = this.#names.get(name);
    if (iref !== undefined) return Promise.resolve(iref);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const ws = this.#waiters.get(name) ?? [];
        const i = ws.findIndex((w) => w.timer === timer);
        if (i >= 0) ws.splice(i, 1);
        resolve(`no service is registered as '${name}' (waited ${timeoutMs} ms)`);
      }, timeoutMs);
      const ws = this.#waiters.get(name);
      if (ws === undefined) this.#waiters.set(name, [{ resolve, timer }]);
      else ws.push({ resolve, timer });
    });
  }

  /** Every registered name. */
  entries(): [string, number][] {
    return [...this.#names.entries()];
  }

  /** Drops the names whose irefs are on `core`. */
  forgetCore(core: number): void {
    for (const [name, iref] of this.#names) if (iref >>> 16 === core) this.#names.delete(name);
  }
}
