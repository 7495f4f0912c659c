/**
 * A part of the monitor whose code loads on first use (a dynamic `import()`), so that a core does not
 * compile it at boot: the shootdown and the retype two-phase commit with `@shoal/agreement`, and the
 * SKB's routes. Every core pays for the modules it loads at start, 64 times over on a 2-CPU machine
 * (docs/kernel.md, "Boot"), and most cores never run a shootdown or a remote retype.
 *
 * Work for the part that comes before it is loaded (an intermon message, a dead core) is queued and
 * runs, in the order it came, as soon as the part is there and before anything that comes later: a
 * message is never dropped or overtaken by a later one because the code for it was still loading.
 */

/** Called when the part's code cannot be loaded (the queued work is dropped with it). */
export type LazyFailure = (e: unknown) => void;

/** A part loaded on first use; see the module comment. */
export class LazyPart<T> {
  readonly #load: () => Promise<T>;
  readonly #failed: LazyFailure;
  #value: T | undefined;
  #loading: Promise<T> | undefined;
  /** Work waiting for the part, in arrival order; also used while the queue is drained. */
  #queue: ((part: T) => void)[] = [];
  #draining = false;

  constructor(load: () => Promise<T>, failed: LazyFailure) {
    this.#load = load;
    this.#failed = failed;
  }

  /** The part if it is loaded (and every queued piece of work has run), else undefined. */
  get loaded(): T | undefined {
    return this.#draining ? undefined : this.#value;
  }

  /** The part, which must be loaded already (code that only runs from inside the part's work). */
  now(): T {
    if (this.#value === undefined) throw new Error("a lazily loaded monitor part was used before it loaded");
    return this.#value;
  }

  /** Runs `fn` with the part: now if it is loaded, else after the work queued before it; loads it. */
  use(fn: (part: T) => void): void {
    const v = this.loaded;
    if (v !== undefined) {
      fn(v);
      return;
    }
    this.#queue.push(fn);
    this.#start();
  }

  /** As {@link use}, but does not load the part: the work waits for whoever needs the part first. */
  whenLoaded(fn: (part: T) => void): void {
    const v = this.loaded;
    if (v !== undefined) fn(v);
    else this.#queue.push(fn);
  }

  /**
   * Runs `fn` with the part in the queue's order (as {@link use}) and resolves with its result: what
   * `fn` starts synchronously (a round's first messages) comes before any work queued after this call,
   * such as a core's death, as it would if the part had been loaded all along.
   */
  run<R>(fn: (part: T) => R | Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) =>
      this.use((part) => {
        try {
          resolve(fn(part));
        } catch (e) {
          reject(e);
        }
      }),
    );
  }

  /** The part, loading it if needed; resolves after the work queued before this call has run. */
  get(): Promise<T> {
    const v = this.loaded;
    if (v !== undefined) return Promise.resolve(v);
    return new Promise<T>((resolve) => this.use(resolve));
  }

  #start(): void {
    if (this.#loading !== undefined) return;
    const p = this.#load();
    this.#loading = p;
    p.then(
      (part) => {
        this.#value = part;
        this.#drain(part);
      },
      (e: unknown) => {
        // Nothing runs without its code: the queued work goes, and a later use tries again.
        this.#loading = undefined;
        this.#queue = [];
        this.#failed(e);
      },
    );
  }

  /** Runs the queued work in order; work queued meanwhile (by the work itself) joins the end. */
  #drain(part: T): void {
    this.#draining = true;
    try {
      for (let fn = this.#queue.shift(); fn !== undefined; fn = this.#queue.shift()) {
        try {
          fn(part);
        } catch (e) {
          this.#failed(e);
        }
      }
    } finally {
      this.#draining = false;
    }
  }
}
