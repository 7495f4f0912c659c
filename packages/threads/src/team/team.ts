import { builtModule } from "../built.js";
import { ThreadsError } from "../errors.js";
import { SabMemory } from "../memory/sab-memory.js";
import { CONTROL, MAX_TEAM } from "./control.js";
import { type Executor, type ExecutorMember, workerExecutor } from "./executor.js";
import type { MemberToHost } from "./protocol.js";

/** Options of {@link Team.start}. */
export interface TeamOptions {
  threads: number;
  executor?: Executor;
  /** Cores to place members on, round robin (passed to the executor). */
  cores?: readonly number[];
}

/**
 * A team of threads, as BOMP's: started once, then given parallel regions. `run` sends every member
 * an `execute` of the same region (a function exported by a module) and resolves with each member's
 * return value when all are done; a member that throws rejects the run with its error (the others
 * may be stuck in a barrier, so the team is closed).
 */
export class Team {
  private seq = 0;
  private closed = false;
  private readonly pending = new Map<
    number,
    { left: number; values: unknown[]; resolve(v: unknown[]): void; reject(e: Error): void }
  >();

  private constructor(
    readonly nthreads: number,
    private readonly members: ExecutorMember[],
  ) {}

  /** Starts `threads` members and waits until each is ready. */
  static async start(opts: TeamOptions): Promise<Team> {
    const n = opts.threads;
    if (!Number.isInteger(n) || n < 1 || n > MAX_TEAM) {
      throw new ThreadsError(
        "BAD_ARGUMENT",
        `options.threads must be an integer in 1..${MAX_TEAM}, not ${n}`,
      );
    }
    const exec = opts.executor ?? workerExecutor;
    const control = SabMemory.allocate(CONTROL.bytes).share();
    const entry = builtModule("team/member.js");
    const members: ExecutorMember[] = [];
    const ready: Promise<void>[] = [];
    for (let tid = 0; tid < n; tid++) {
      const core =
        opts.cores === undefined || opts.cores.length === 0 ? undefined : opts.cores[tid % opts.cores.length];
      const m = exec.start(entry, { control, tid, nthreads: n }, core);
      members.push(m);
      ready.push(
        new Promise((resolve, reject) => {
          m.onMessage((msg) => {
            if ((msg as MemberToHost).kind === "ready") resolve();
          });
          m.onExit(reject);
        }),
      );
    }
    const team = new Team(n, members);
    try {
      await Promise.all(ready);
    } catch (e) {
      await team.close();
      throw new ThreadsError("WORKER_DIED", `a team member did not start: ${(e as Error).message}`, {
        cause: e,
      });
    }
    members.forEach((m, tid) => {
      m.onMessage((msg) => team.answer(tid, msg as MemberToHost));
      m.onExit((e) => team.failAll(new ThreadsError("WORKER_DIED", `team member ${tid} died: ${e.message}`)));
    });
    return team;
  }

  /** Runs the region `name` of the built module `module` on every member. */
  run<R = unknown>(module: URL | string, name: string, arg: unknown): Promise<R[]> {
    if (this.closed) return Promise.reject(new ThreadsError("TEAM_CLOSED", "the team is closed"));
    const seq = ++this.seq;
    const href = typeof module === "string" ? module : module.href;
    return new Promise<R[]>((resolve, reject) => {
      this.pending.set(seq, {
        left: this.nthreads,
        values: new Array(this.nthreads),
        resolve: resolve as (v: unknown[]) => void,
        reject,
      });
      for (const m of this.members) m.post({ kind: "execute", seq, module: href, name, arg });
    });
  }

  /** Stops every member. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.members.map((m) => m.terminate()));
    this.failAll(new ThreadsError("TEAM_CLOSED", "the team was closed during the run"));
  }

  private answer(tid: number, msg: MemberToHost): void {
    if (msg.kind === "ready") return;
    const p = this.pending.get(msg.seq);
    if (p === undefined) return;
    if (msg.kind === "error") {
      this.pending.delete(msg.seq);
      const err = new ThreadsError(
        "THREAD_FAILED",
        `team member ${tid}: ${msg.error.name}: ${msg.error.message}`,
      );
      if (msg.error.stack !== undefined)
        err.stack = `${err.message}\n--- in the member ---\n${msg.error.stack}`;
      p.reject(err);
      // Others may wait in a barrier for the member that threw: the team cannot be reused.
      void this.close();
      return;
    }
    p.values[tid] = msg.value;
    if (--p.left === 0) {
      this.pending.delete(msg.seq);
      p.resolve(p.values);
    }
  }

  private failAll(e: Error): void {
    for (const [seq, p] of this.pending) {
      this.pending.delete(seq);
      p.reject(e);
    }
  }
}
