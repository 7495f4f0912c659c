/**
 * Upcalls: the CPU driver runs a dispatcher's code only through these, one at a time on its core, and
 * measures each turn. JavaScript cannot preempt, so scheduling is cooperative, as on Barrelfish's
 * dispatchers: a turn lasts until the code returns (or awaits); a turn longer than the slice is an
 * overrun, counted in the control block and reported once per dispatcher and second, so that `ps` shows
 * who holds the core. An upcall nested in another's turn (an lrpc handler, run inside its caller's
 * send) is charged to its own dispatcher and taken out of the caller's turn. A dispatcher whose upcall throws is faulted: the error is delivered as a fault
 * (never a crash of the core) and its later upcalls are refused.
 *
 * A dispatcher waiting on a futex word is not running and not overrunning: {@link Upcalls.block}
 * takes the time a blocking wait slept out of the turn that made it (the core's thread sleeps in
 * Atomics.wait; nothing else could run anyway), and {@link Upcalls.blockAsync} marks the dispatcher
 * `blocked` while it has an asynchronous wait pending and no upcall running, which is the form that
 * keeps the core (its monitor, its other dispatchers) serving.
 */
import type { Dcb, UpcallKind } from "../dispatchers/dcb.js";

/** Where overruns and faults are reported. */
export interface UpcallReports {
  overrun(dcb: Dcb, ms: number, kind: UpcallKind): void;
  fault(dcb: Dcb, error: unknown, kind: UpcallKind): void;
}

/** The default slice of a turn. */
export const DEFAULT_SLICE_MS = 20;

/** Runs and measures the upcalls of one core. */
export class Upcalls {
  readonly sliceMs: number;
  readonly #reports: UpcallReports;
  #current: Dcb | null = null;
  readonly #lastReport = new WeakMap<Dcb, number>();
  /** Milliseconds this core's thread slept in blocking waits, ever (turns subtract their share). */
  #sleptMs = 0;
  /**
   * Milliseconds charged to any dispatcher, ever: a turn subtracts what the upcalls nested in it
   * (an lrpc handler runs inside its caller's turn) were charged, so each is charged once.
   */
  #chargedMs = 0;
  /** When each dispatcher's first pending asynchronous wait began. */
  readonly #blockedSince = new WeakMap<Dcb, number>();

  constructor(reports: UpcallReports, sliceMs = DEFAULT_SLICE_MS) {
    this.#reports = reports;
    this.sliceMs = sliceMs;
  }

  /** The dispatcher whose upcall is running (null between upcalls). */
  get current(): Dcb | null {
    return this.#current;
  }

  /**
   * Runs `fn` as an upcall of `dcb`: accounted to it, measured, a throw turned into a fault (or, with
   * `rethrow`, passed on to the caller). Returns what `fn` returned, or undefined when the dispatcher is
   * finished or faulted in this upcall.
   */
  run<T>(dcb: Dcb, kind: UpcallKind, fn: () => T, rethrow = false): T | undefined {
    if (dcb.finished) return undefined;
    const outer = this.#current;
    const outerState = outer?.state;
    if (outer !== null) outer.state = "runnable";
    this.#current = dcb;
    dcb.state = "running";
    const slept0 = this.#sleptMs;
    const charged0 = this.#chargedMs;
    const t0 = performance.now();
    try {
      return fn();
    } catch (e) {
      // A handler's throw belongs to its caller (the stub turns it into RPC_FAILED / HANDLER_FAILED);
      // anything else the dispatcher's code throws faults the dispatcher.
      if (rethrow) throw e;
      this.fault(dcb, e, kind);
      return undefined;
    } finally {
      const ms = performance.now() - t0 - (this.#sleptMs - slept0) - (this.#chargedMs - charged0);
      this.#chargedMs += ms;
      dcb.cpuMs += ms;
      dcb.turns++;
      if (kind === "message") dcb.messages++;
      if (ms > dcb.longestMs) dcb.longestMs = ms;
      if (dcb.state === "running") dcb.state = dcb.pendingWaits > 0 ? "blocked" : "runnable";
      if (ms > this.sliceMs) {
        dcb.overruns++;
        const last = this.#lastReport.get(dcb) ?? 0;
        const now = Date.now();
        if (now - last >= 1000) {
          this.#lastReport.set(dcb, now);
          this.#reports.overrun(dcb, ms, kind);
        }
      }
      this.#current = outer;
      if (outer !== null && outerState !== undefined && !outer.finished) outer.state = "running";
    }
  }

  /**
   * Runs a blocking futex wait of `dcb`: it is `blocked` meanwhile, and the time slept counts as
   * blocked time, not as CPU time or towards an overrun of the turn it happens in.
   */
  block<T>(dcb: Dcb, wait: () => T): T {
    const before = dcb.state;
    if (!dcb.finished) dcb.state = "blocked";
    const t0 = performance.now();
    try {
      return wait();
    } finally {
      const ms = performance.now() - t0;
      this.#sleptMs += ms;
      dcb.blockedMs += ms;
      dcb.waits++;
      if (dcb.state === "blocked") dcb.state = before;
    }
  }

  /**
   * Tracks an asynchronous futex wait of `dcb`: while one is pending and no upcall of it runs, it is
   * `blocked` (not runnable: it has nothing to do until a notify); it becomes runnable when the last
   * settles.
   */
  blockAsync<T>(dcb: Dcb, wait: Promise<T>): Promise<T> {
    if (dcb.pendingWaits++ === 0) this.#blockedSince.set(dcb, performance.now());
    dcb.waits++;
    if (dcb.state === "runnable") dcb.state = "blocked";
    return wait.finally(() => {
      if (--dcb.pendingWaits > 0) return;
      dcb.blockedMs += performance.now() - (this.#blockedSince.get(dcb) ?? performance.now());
      if (dcb.state === "blocked") dcb.state = "runnable";
    });
  }

  /** Marks `dcb` faulted with `error` and reports it (idempotent). */
  fault(dcb: Dcb, error: unknown, kind: UpcallKind): void {
    if (dcb.finished) return;
    dcb.state = "faulted";
    dcb.exitCode = 1;
    dcb.reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.#reports.fault(dcb, error, kind);
  }
}
