/**
 * A worker thread seen from the main thread: a mailbox of its messages with a timeout on every wait,
 * and its crash (an uncaught error, or an exit before we terminated it) turned into a
 * {@link BenchError} WORKER_FAILED that fails the current wait and every later one. The benchmark
 * therefore reports a dead worker instead of hanging on it.
 */
import { type TransferListItem, Worker } from "node:worker_threads";
import { BenchError, describeError } from "../errors.js";

/** Every worker's first message, sent once it has set itself up. */
export interface ReadyMessage {
  readonly kind: "ready";
}

/** Sent by a worker when a command failed in a way it could report (stuck peer, wrong value). */
export interface FailedMessage {
  readonly kind: "failed";
  readonly message: string;
}

/** Wraps a worker; see the file comment. */
/** Worker messages are objects with a `kind`, or bare numbers (the postMessage baseline's ping-pong). */
export type WorkerMessage = { readonly kind: string } | number;

type KindOf<M> = Extract<M, { kind: string }>["kind"];

export class WorkerHost<In extends WorkerMessage> {
  /** The thread itself, for the baselines that time `postMessage` directly. */
  readonly worker: Worker;
  private readonly name: string;
  private readonly mailbox: In[] = [];
  private waiter: ((m: In) => void) | null = null;
  private failure: BenchError | null = null;
  private readonly failureListeners = new Set<(e: BenchError) => void>();
  private terminated = false;
  /** When set, messages go here instead of the mailbox (the postMessage baseline's hot loop). */
  direct: ((m: In) => void) | null = null;

  private constructor(name: string, worker: Worker) {
    this.name = name;
    this.worker = worker;
    worker.on("message", (m: In | FailedMessage) => {
      if (typeof m === "object" && m.kind === "failed") {
        this.fail(new BenchError("WORKER_FAILED", `${this.name} worker: ${(m as FailedMessage).message}`));
        return;
      }
      const msg = m as In;
      if (this.direct !== null) this.direct(msg);
      else if (this.waiter !== null) this.waiter(msg);
      else this.mailbox.push(msg);
    });
    worker.on("error", (e) => {
      this.fail(
        new BenchError("WORKER_FAILED", `${this.name} worker crashed: ${describeError(e)}`, { cause: e }),
      );
    });
    worker.on("exit", (code) => {
      if (!this.terminated)
        this.fail(new BenchError("WORKER_FAILED", `${this.name} worker exited (code ${code})`));
    });
  }

  /** Starts `url` as a worker and waits (at most `timeoutMs`) for its `ready` message. */
  static async start<M extends WorkerMessage>(
    name: string,
    url: URL,
    workerData: unknown,
    timeoutMs: number,
  ): Promise<WorkerHost<M>> {
    const host = new WorkerHost<M | ReadyMessage>(name, new Worker(url, { workerData }));
    try {
      await host.next("ready", timeoutMs);
    } catch (e) {
      await host.terminate();
      throw e;
    }
    return host as unknown as WorkerHost<M>;
  }

  /** The crash seen so far, if any (check after a synchronous spin that timed out). */
  get failed(): BenchError | null {
    return this.failure;
  }

  /** Posts a message to the worker. */
  post(message: unknown, transfer?: readonly TransferListItem[]): void {
    if (this.failure !== null) throw this.failure;
    this.worker.postMessage(message, transfer);
  }

  /** The next message, which must be of `kind`; rejects on a crash, another kind, or after `timeoutMs`. */
  next<K extends KindOf<In>>(kind: K, timeoutMs: number): Promise<Extract<In, { kind: K }>> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const queued = this.mailbox.shift();
    if (queued !== undefined) return Promise.resolve(this.check(queued, kind));
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.waiter = null;
        this.failureListeners.delete(onFailure);
      };
      const onFailure = (e: BenchError) => {
        settle();
        reject(e);
      };
      const timer = setTimeout(() => {
        settle();
        reject(new BenchError("TIMEOUT", `${this.name} worker: no "${kind}" message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.failureListeners.add(onFailure);
      this.waiter = (m) => {
        settle();
        try {
          resolve(this.check(m, kind));
        } catch (e) {
          reject(e);
        }
      };
    });
  }

  /**
   * Calls `listener` once if this worker crashes (at once if it already has); returns the function that
   * unsubscribes it. For waits that do not go through {@link next}.
   */
  onFailure(listener: (e: BenchError) => void): () => void {
    if (this.failure !== null) {
      listener(this.failure);
      return () => {};
    }
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** Stops the worker; idempotent. Later exits are not failures. */
  async terminate(): Promise<void> {
    if (this.terminated) return;
    this.terminated = true;
    await this.worker.terminate();
  }

  private check<K extends KindOf<In>>(m: In, kind: K): Extract<In, { kind: K }> {
    const got = typeof m === "object" ? m.kind : String(m);
    if (got !== kind) {
      throw new BenchError("WORKER_FAILED", `${this.name} worker: expected "${kind}", got "${got}"`);
    }
    return m as Extract<In, { kind: K }>;
  }

  private fail(e: BenchError): void {
    if (this.failure !== null) return;
    this.failure = e;
    for (const listener of [...this.failureListeners]) listener(e);
  }
}

/** Rejects with TIMEOUT if `promise` has not settled within `ms`; the timer never outlives the race. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchError("TIMEOUT", `${what}: no progress within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
