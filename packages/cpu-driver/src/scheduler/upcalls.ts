/**
 * Upcalls: the CPU driver runs a dispatcher's code only through these, one at a time on its core, and
 * measures each turn. JavaScript cannot preempt, so scheduling is cooperative, as on Barrelfish's
 * dispatchers: a turn lasts until the code returns (or awaits); a turn longer than the slice is an
 * overrun, counted in the control block and reported once per dispatcher and second, so that `ps` shows
 * who holds the core. A dispatcher whose upcall throws is faulted: the error is delivered as a fault
 * (never a crash of the core) and its later upcalls are refused.
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
      const ms = performance.now() - t0;
      dcb.cpuMs += ms;
      dcb.turns++;
      if (kind === "message") dcb.messages++;
      if (ms > dcb.longestMs) dcb.longestMs = ms;
      if (dcb.state === "running") dcb.state = "runnable";
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

  /** Marks `dcb` faulted with `error` and reports it (idempotent). */
  fault(dcb: Dcb, error: unknown, kind: UpcallKind): void {
    if (dcb.finished) return;
    dcb.state = "faulted";
    dcb.exitCode = 1;
    dcb.reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.#reports.fault(dcb, error, kind);
  }
}
