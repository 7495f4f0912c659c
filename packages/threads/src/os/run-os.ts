/**
 * The OS executor's harness: boots a shoal machine, spawns a team's master domain (which spawns its
 * members on the other cores), waits for its console report, and halts the machine whatever happens.
 * This is what the tests and the bench call; the team itself runs entirely inside the booted OS
 * (dispatchers, frames through the MMU, bindings between the domains), not on this thread.
 */
import { fileURLToPath } from "node:url";
import { Machine } from "@shoal/monitor";
import { builtModule } from "../built.js";
import { ThreadsError } from "../errors.js";
import type { OsJob, OsTeamConfig, OsTeamMode, OsTeamReport } from "./config.js";
import { OS_REPORT_PREFIX } from "./config.js";

/** Options of {@link runOnOs}. */
export interface OsRunOptions {
  /** Cores to boot; the team has one member per core (members block their core in waits). */
  readonly cores: number;
  /** Members as dispatchers of one spanning domain (default) or as domains of their own. */
  readonly mode?: OsTeamMode;
  /** Team size (default: `cores`); at most `cores`. */
  readonly threads?: number;
  /** Bytes of the team's data frame. */
  readonly dataBytes: number;
  readonly jobs: readonly OsJob[];
  /** Deadline of the whole run after boot (default 120 s). */
  readonly timeoutMs?: number;
  /** Bytes of the machine's physical memory (default 256 MiB). */
  readonly memoryBytes?: number;
  /** Console lines of the cores (default: dropped). */
  readonly console?: (line: string) => void;
}

/** What a run on the OS gave. */
export interface OsRunResult {
  /** values[job][tid]: every member's return value. */
  readonly values: unknown[][];
  /** Each job's time on the master, from the executes to the last done (ms). */
  readonly jobMs: number[];
  /** The domain id of each member (one id for a spanning team). */
  readonly domains: number[];
  readonly bootMs: number;
}

let runs = 0;

/** Runs `jobs` on a team of dispatchers, one per booted core; THREAD_FAILED / TIMED_OUT when it cannot. */
export async function runOnOs(options: OsRunOptions): Promise<OsRunResult> {
  const threads = options.threads ?? options.cores;
  if (!Number.isInteger(threads) || threads < 1 || threads > options.cores)
    throw new ThreadsError(
      "BAD_ARGUMENT",
      `options.threads must be an integer in 1..cores (${options.cores}): a member blocks its core while it waits`,
    );
  const tag = `th${process.pid}-${runs++}`;
  let got: ((r: OsTeamReport) => void) | undefined;
  const reported = new Promise<OsTeamReport>((resolve) => {
    got = resolve;
  });
  const machine = await Machine.boot({
    cores: options.cores,
    ...(options.memoryBytes === undefined ? {} : { memoryBytes: options.memoryBytes }),
    console: (line) => {
      options.console?.(line);
      const at = line.indexOf(OS_REPORT_PREFIX);
      if (at < 0) return;
      try {
        const r = JSON.parse(line.slice(at + OS_REPORT_PREFIX.length)) as OsTeamReport;
        if (r.tag === tag) got?.(r);
      } catch {
        // Not a report of this run.
      }
    },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const cfg: OsTeamConfig = {
      mode: options.mode ?? "span",
      tag,
      cores: Array.from({ length: threads }, (_, t) => t),
      dataBytes: options.dataBytes,
      memberPath: fileURLToPath(builtModule("os/member-domain.js")),
      jobs: options.jobs,
    };
    const master = await machine.spawn(fileURLToPath(builtModule("os/master-domain.js")), {
      core: 0,
      args: [JSON.stringify(cfg)],
    });
    const r = await Promise.race([
      reported,
      master.exited.then(async (code) => {
        // Its report may still be on its way from the core's console line.
        await new Promise((res) => setTimeout(res, 200));
        throw new ThreadsError("THREAD_FAILED", `the team's master exited with ${code} before it reported`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ThreadsError("TIMED_OUT", "the team on the OS did not report in time")),
          options.timeoutMs ?? 120_000,
        );
      }),
    ]);
    if (r.error !== undefined) throw new ThreadsError("THREAD_FAILED", r.error.message);
    return { values: r.values, jobMs: r.jobMs, domains: r.domains, bootMs: machine.bootMs.total };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    await machine.halt();
  }
}
