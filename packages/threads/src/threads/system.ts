import { builtModule } from "../built.js";
import { ThreadsError } from "../errors.js";
import { type Executor, type ExecutorMember, workerExecutor } from "../team/executor.js";
import { type SerializedError, serializeError } from "../team/protocol.js";
import type { FromScheduler, ThreadEntry, ThreadOutcome, ToScheduler } from "./protocol.js";

/** One thread as the domain's coordinator tracks it. */
interface Slot {
  core: number;
  detached: boolean;
  joined: boolean;
  outcome?: ThreadOutcome;
  joiners: ((o: ThreadOutcome) => void)[];
}

/** A created thread, from the creator's side. */
export interface ThreadHandle {
  readonly id: number;
  readonly core: number;
  /** Its exit code and value; rejects with THREAD_FAILED (the thread's error, name, message and stack). */
  join(): Promise<{ code: number; value: unknown }>;
  /** Gives up joining: the thread's record is dropped when it ends. */
  detach(): void;
}

/** Options of {@link ThreadSystem.start}. */
export interface ThreadSystemOptions {
  /** How many cores (schedulers) the domain spans. */
  cores: number;
  executor?: Executor;
}

/**
 * The threads of one domain spread over `cores` cores, each core running a cooperative thread
 * scheduler (over the executor seam: a worker each today, a dispatcher each once domains span cores).
 * Creation and joins are messages to the scheduler of the thread's core, routed through this
 * coordinator (which plays the part of the domain's spanning service until dispatchers can message
 * each other directly).
 */
export class ThreadSystem {
  private nextId = 0;
  private readonly slots = new Map<number, Slot>();
  private closed = false;

  private constructor(private readonly schedulers: ExecutorMember[]) {}

  static async start(opts: ThreadSystemOptions): Promise<ThreadSystem> {
    if (!Number.isInteger(opts.cores) || opts.cores < 1 || opts.cores > 64) {
      throw new ThreadsError("BAD_ARGUMENT", `options.cores must be an integer in 1..64, not ${opts.cores}`);
    }
    const exec = opts.executor ?? workerExecutor;
    const entry = builtModule("threads/scheduler.js");
    const schedulers = Array.from({ length: opts.cores }, (_, core) => exec.start(entry, { core }, core));
    const sys = new ThreadSystem(schedulers);
    await Promise.all(
      schedulers.map(
        (s, core) =>
          new Promise<void>((resolve, reject) => {
            s.onMessage((m) => {
              const msg = m as FromScheduler;
              if (msg.kind === "ready") resolve();
              else sys.handle(core, msg);
            });
            s.onExit((e) => {
              reject(e);
              sys.coreDied(core, e);
            });
          }),
      ),
    );
    return sys;
  }

  /** The number of cores. */
  get cores(): number {
    return this.schedulers.length;
  }

  /** Creates a thread running `entry(self, arg)` on `opts.core` (default 0). */
  create(
    entry: ThreadEntry | { module: URL; name: string },
    arg?: unknown,
    opts: { core?: number; detached?: boolean } = {},
  ): ThreadHandle {
    const e: ThreadEntry = {
      module: typeof entry.module === "string" ? entry.module : entry.module.href,
      name: entry.name,
    };
    const id = this.spawn(e, arg, opts.core ?? 0, opts.detached ?? false);
    return { id, core: opts.core ?? 0, join: () => this.join(id), detach: () => this.detach(id) };
  }

  /** Waits for thread `id`. */
  async join(id: number): Promise<{ code: number; value: unknown }> {
    const o = await this.outcome(id);
    if (o.ok) return { code: o.code, value: o.value };
    const err = new ThreadsError("THREAD_FAILED", `thread ${id}: ${o.error.name}: ${o.error.message}`);
    if (o.error.stack !== undefined) err.stack = `${err.message}\n--- in the thread ---\n${o.error.stack}`;
    throw err;
  }

  /** Drops thread `id`'s record once it ends; it can no longer be joined. */
  detach(id: number): void {
    const s = this.slots.get(id);
    if (s === undefined) return;
    s.detached = true;
    if (s.outcome !== undefined) this.slots.delete(id);
  }

  /** Threads known (running, or ended and not yet joined). */
  live(): number {
    return this.slots.size;
  }

  /** Stops every core. Threads still running are cut off. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.schedulers.map((s) => s.terminate()));
  }

  private spawn(entry: ThreadEntry, arg: unknown, core: number, detached: boolean): number {
    if (this.closed) throw new ThreadsError("TEAM_CLOSED", "the thread system is closed");
    const sched = this.schedulers[core];
    if (!Number.isInteger(core) || sched === undefined) {
      throw new ThreadsError(
        "BAD_ARGUMENT",
        `core ${core} is not one of this domain's ${this.schedulers.length} cores`,
      );
    }
    const id = ++this.nextId;
    this.slots.set(id, { core, detached, joined: false, joiners: [] });
    sched.post({ kind: "start", id, entry, arg } satisfies ToScheduler);
    return id;
  }

  private outcome(id: number): Promise<ThreadOutcome> {
    const s = this.slots.get(id);
    if (s === undefined)
      return Promise.reject(
        new ThreadsError("BAD_ARGUMENT", `no thread ${id} (never created, or joined or detached already)`),
      );
    if (s.detached) return Promise.reject(new ThreadsError("DETACHED", `thread ${id} is detached`));
    if (s.joined) return Promise.reject(new ThreadsError("ALREADY_JOINED", `thread ${id} is joined already`));
    s.joined = true;
    if (s.outcome !== undefined) {
      this.slots.delete(id);
      return Promise.resolve(s.outcome);
    }
    return new Promise((resolve) =>
      s.joiners.push((o) => {
        this.slots.delete(id);
        resolve(o);
      }),
    );
  }

  private handle(core: number, m: FromScheduler): void {
    const reply = (r: ToScheduler) => this.schedulers[core]?.post(r);
    switch (m.kind) {
      case "ready":
        return;
      case "ended": {
        const s = this.slots.get(m.id);
        if (s === undefined) return;
        s.outcome = m.outcome;
        if (s.detached) this.slots.delete(m.id);
        for (const j of s.joiners.splice(0)) j(m.outcome);
        return;
      }
      case "create":
        try {
          reply({ kind: "created", req: m.req, id: this.spawn(m.entry, m.arg, m.core, m.detached) });
        } catch (e) {
          reply({ kind: "created", req: m.req, error: serializeError(e) });
        }
        return;
      case "join":
        this.outcome(m.id).then(
          (outcome) => reply({ kind: "joined", req: m.req, outcome }),
          (e: unknown) =>
            reply({
              kind: "joined",
              req: m.req,
              outcome: { ok: false, error: serializeError(e) as SerializedError },
            }),
        );
        return;
      case "detach":
        this.detach(m.id);
        return;
    }
  }

  private coreDied(core: number, e: Error): void {
    for (const [, s] of this.slots) {
      if (s.core !== core || s.outcome !== undefined) continue;
      s.outcome = {
        ok: false,
        error: {
          name: "ThreadsError",
          message: `WORKER_DIED: core ${core} died: ${e.message}`,
          code: "WORKER_DIED",
        },
      };
      for (const j of s.joiners.splice(0)) j(s.outcome);
    }
  }
}
