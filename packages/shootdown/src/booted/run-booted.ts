/**
 * Shootdowns (or two-phase commits) on cores booted by @shoal/monitor: `Machine.boot` with one core
 * per core of the routes, one shootdown domain spawned on each (src/booted/domain.ts, built JS), the
 * domains bound to each other through the Domain API, the same protocol code as the simulator over
 * those bindings. The machine is halted before this returns, whatever happens.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RouteTable } from "@shoal/agreement";
import { Machine } from "@shoal/monitor";
import { ShootdownError, type ShootdownErrorCode } from "../errors.js";
import { median } from "../sim/run.js";
import {
  type BootedConfig,
  type BootedMode,
  type BootedReport,
  REPORT_PREFIX,
  STARTED_PREFIX,
} from "./config.js";

/** Options of {@link runBooted}. */
export interface BootedRunOptions {
  readonly mode?: BootedMode;
  readonly ops?: number;
  readonly warmup?: number;
  /** The initiating core (default: the routes' first). */
  readonly root?: number;
  /** `machine.killCore(core)` this many ms after the root starts measuring. */
  readonly kill?: { readonly core: number; readonly afterMs: number };
  /** Deadline of one round (default 5000 ms: the machine is shared). */
  readonly timeoutMs?: number;
  /** Deadline of the whole run after boot (default 120 s): past it the run fails with TIMEOUT. */
  readonly runTimeoutMs?: number;
}

/** What a booted run measured. */
export interface BootedRunResult {
  readonly latenciesNs: readonly number[];
  readonly medianNs: number;
  /** Every core's report (the killed core has none). */
  readonly reports: ReadonlyMap<number, BootedReport>;
  /** The error the run ended with, if it did. */
  readonly error: ShootdownError | undefined;
  readonly bootMs: number;
}

const CODES = new Set<string>(["PEER_DIED", "TIMEOUT", "REFUSED", "BAD_ROUTES", "BAD_MESSAGE"]);
let runs = 0;

/** Where the built domain module is (from src/ under vitest, it is under dist/). */
export function domainPath(): string {
  const here = new URL("./domain.js", import.meta.url);
  const p = import.meta.url.endsWith(".ts")
    ? new URL("../../dist/src/booted/domain.js", import.meta.url)
    : here;
  const path = fileURLToPath(p);
  if (!existsSync(path)) {
    throw new ShootdownError(
      "BAD_ARGUMENT",
      `the shootdown domain is not built (${path}): run the build first`,
    );
  }
  return path;
}

/** Runs `ops` operations from the root on a system booted with one core per core of `routes`. */
export async function runBooted(
  routes: RouteTable,
  options: BootedRunOptions = {},
): Promise<BootedRunResult> {
  const cores = routes.cores;
  const n = Math.max(...cores) + 1;
  const root = options.root ?? (cores[0] as number);
  const tag = `sd${process.pid}-${runs++}`;
  const reports = new Map<number, BootedReport>();
  const expected = new Set(cores);
  let started: (() => void) | undefined;
  const startedP = new Promise<void>((r) => {
    started = r;
  });
  let allIn: (() => void) | undefined;
  const allInP = new Promise<void>((r) => {
    allIn = r;
  });
  const killed = new Set<number>();
  let rootExit: number | undefined;
  const checkAll = () => {
    if (rootExit !== undefined) allIn?.();
    if (reports.has(root) && [...expected].every((c) => reports.has(c) || killed.has(c))) allIn?.();
  };
  const machine = await Machine.boot({
    cores: n,
    console: (line) => {
      if (line.includes(`${STARTED_PREFIX}${tag}`)) started?.();
      const at = line.indexOf(REPORT_PREFIX);
      if (at < 0) return;
      try {
        const r = JSON.parse(line.slice(at + REPORT_PREFIX.length)) as BootedReport;
        if (r.tag !== tag) return;
        reports.set(r.core, r);
        checkAll();
      } catch {
        // Not one of ours.
      }
    },
  });
  let deadline: ReturnType<typeof setTimeout> | undefined;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  try {
    const trees = cores.map((c) => [c, routes.tree(c)] as const);
    const path = domainPath();
    for (const core of cores) {
      const cfg: BootedConfig = {
        tag,
        core,
        root,
        cores,
        protocol: routes.protocol,
        trees,
        mode: options.mode ?? "shootdown",
        ops: options.ops ?? 50,
        warmup: options.warmup ?? 5,
        timeoutMs: options.timeoutMs ?? 5000,
      };
      const child = await machine.spawn(path, { core, args: [JSON.stringify(cfg)] });
      // A domain that exits (it threw) never reports: its core is not waited for.
      void child.exited.then((code) => {
        if (code !== 0 && !reports.has(core)) {
          killed.add(core);
          // Without its root the run cannot finish: stop waiting now.
          if (core === root) rootExit = code;
          checkAll();
        }
      });
    }
    const kill = options.kill;
    if (kill !== undefined) {
      void startedP.then(() => {
        killTimer = setTimeout(() => {
          killed.add(kill.core);
          // A dead root never reports and never says finish: the run is over when it is gone.
          const gone = () => {
            if (kill.core === root && !reports.has(root)) rootExit = -1;
            checkAll();
          };
          void machine.killCore(kill.core).then(gone, gone);
        }, kill.afterMs);
      });
    }
    await Promise.race([
      allInP,
      new Promise<void>((resolve) => {
        deadline = setTimeout(() => {
          timedOut = true;
          resolve();
        }, options.runTimeoutMs ?? 120_000);
      }),
    ]);
  } finally {
    if (deadline !== undefined) clearTimeout(deadline);
    if (killTimer !== undefined) clearTimeout(killTimer);
    await machine.halt();
  }
  const rootReport = reports.get(root);
  const e = rootReport?.error;
  let error: ShootdownError | undefined;
  if (e !== undefined) {
    const code = (CODES.has(e.code) ? e.code : "BAD_MESSAGE") as ShootdownErrorCode;
    error = new ShootdownError(code, e.message, e.core === undefined ? {} : { core: e.core });
  } else if (rootExit !== undefined) {
    error = new ShootdownError(
      "PEER_DIED",
      `the root's domain (core ${root}) is gone (exit ${rootExit}) before it reported`,
      {
        core: root,
      },
    );
  } else if (timedOut) {
    const missing = cores.filter((c) => !reports.has(c) && !killed.has(c));
    error = new ShootdownError(
      "TIMEOUT",
      `the booted run did not finish; no report from cores [${missing.join(", ")}]`,
    );
  }
  const latenciesNs = rootReport?.latenciesNs ?? [];
  return { latenciesNs, medianNs: median([...latenciesNs]), reports, error, bootMs: machine.bootMs.total };
}
