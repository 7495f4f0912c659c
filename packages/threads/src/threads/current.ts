import { AsyncLocalStorage } from "node:async_hooks";
import { ThreadsError } from "../errors.js";
import type { ThreadEntry } from "./protocol.js";

/** What a running thread can do; passed to its entry and available as {@link currentThread}. */
export interface ThreadSelf {
  readonly id: number;
  readonly core: number;
  /** Lets the other threads of this core run, then continues (cooperative scheduling). */
  yield(): Promise<void>;
  /** Sleeps at least `ms` milliseconds without holding the core. */
  sleep(ms: number): Promise<void>;
  /** Ends this thread now with exit code `code` (its joiner sees `{ code }`). */
  exit(code: number): never;
  /** Creates a thread on `core` (default: this one); the request goes to that core's scheduler. */
  create(entry: ThreadEntry, arg?: unknown, opts?: { core?: number; detached?: boolean }): Promise<number>;
  /** Waits for thread `id` to end: its exit code and value, or its error rethrown (THREAD_FAILED). */
  join(id: number): Promise<{ code: number; value: unknown }>;
  /** Lets thread `id` end without a joiner. */
  detach(id: number): void;
}

/** The per-thread record the scheduler keeps; TLS values hang off it. */
export interface ThreadRecord {
  self: ThreadSelf;
  locals: Map<ThreadLocal<unknown>, unknown>;
}

/**
 * Which thread is running. Threads are async functions interleaved on one worker, so "current" must
 * follow each thread across its awaits: AsyncLocalStorage carries the record through every
 * continuation the thread's code schedules.
 */
export const running = new AsyncLocalStorage<ThreadRecord>();

/** The running thread; NOT_OWNER outside any thread. */
export function currentThread(): ThreadSelf {
  const r = running.getStore();
  if (r === undefined) throw new ThreadsError("NOT_OWNER", "not inside a shoal thread");
  return r.self;
}

/**
 * Thread-local storage (Barrelfish's threads lacked it): one value per thread, starting from `init()`
 * the first time a thread reads it. Values die with their thread.
 */
export class ThreadLocal<T> {
  constructor(private readonly init: () => T) {}

  private record(): ThreadRecord {
    const r = running.getStore();
    if (r === undefined)
      throw new ThreadsError("NOT_OWNER", "thread-local storage used outside a shoal thread");
    return r;
  }

  get(): T {
    const r = this.record();
    const key = this as ThreadLocal<unknown>;
    if (!r.locals.has(key)) r.locals.set(key, this.init());
    return r.locals.get(key) as T;
  }

  set(value: T): void {
    this.record().locals.set(this as ThreadLocal<unknown>, value);
  }
}

/** Thrown by `exit` and caught by the scheduler: it unwinds the thread's stack to its entry. */
export class ThreadExit {
  constructor(readonly code: number) {}
}
