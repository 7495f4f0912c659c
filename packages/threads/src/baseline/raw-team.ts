import { Worker } from "node:worker_threads";
import { builtModule } from "../built.js";
import { ThreadsError } from "../errors.js";
import { RAW_CONTROL_BYTES } from "./raw-par.js";

type Answer = { ready: true } | { ok: true; value: unknown } | { ok: false; message: string };

/** The baseline team: n plain workers, each running the same region (see raw-par.ts). */
export class RawTeam {
  private constructor(private readonly workers: Worker[]) {}

  /** Starts `n` workers and waits until each is ready. */
  static async start(n: number): Promise<RawTeam> {
    const control = new SharedArrayBuffer(RAW_CONTROL_BYTES);
    const entry = builtModule("baseline/raw-member.js");
    const workers = Array.from(
      { length: n },
      (_, tid) => new Worker(entry, { workerData: { control, tid, nthreads: n } }),
    );
    const team = new RawTeam(workers);
    try {
      await Promise.all(workers.map((w) => team.next(w)));
    } catch (e) {
      await team.close();
      throw e;
    }
    return team;
  }

  /** Runs region `name` of `module` on every worker; resolves with their values. */
  async run<R = unknown>(module: URL | string, name: string, arg: unknown): Promise<R[]> {
    const href = typeof module === "string" ? module : module.href;
    const answers = this.workers.map((w) => this.next(w));
    for (const w of this.workers) w.postMessage({ module: href, name, arg });
    const got = await Promise.all(answers);
    return got.map((a) => {
      if ("ready" in a) throw new ThreadsError("WORKER_DIED", "unexpected ready");
      if (!a.ok) throw new ThreadsError("THREAD_FAILED", a.message);
      return a.value as R;
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private next(w: Worker): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const onErr = (e: Error) => reject(new ThreadsError("WORKER_DIED", e.message, { cause: e }));
      w.once("message", (a: Answer) => {
        w.off("error", onErr);
        resolve(a);
      });
      w.once("error", onErr);
    });
  }
}
