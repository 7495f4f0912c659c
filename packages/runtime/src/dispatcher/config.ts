/**
 * Dispatcher configuration: the spin budget P (how long an idle dispatcher keeps polling before it
 * blocks) and the measured wake-up cost C it is derived from.
 */
import { availableParallelism } from "node:os";
import { ShoalError } from "../errors.js";
import { measureWakeCostNs } from "./wake-cost.js";

/** What {@link dispatcherConfig} reports. */
export interface DispatcherConfig {
  /** Spin budget P in nanoseconds: polling time of an idle dispatcher before it blocks. */
  readonly spinBudgetNs: number;
  /** Wake-up cost C measured in this thread at first use (ns); P defaults to it. */
  readonly wakeCostNs: number;
  /** True when P was set by {@link configureDispatcher} rather than derived from C. */
  readonly spinBudgetConfigured: boolean;
  /**
   * Upper bound of the adaptive P (doubled after sleeps cut short by new work): 8 ms, a little more than
   * a scheduler time slice, so that a peer that was merely preempted does not make both sides block in
   * turn (each wake-up then costs a time slice on a loaded machine). An idle channel still blocks after
   * the base P; spinning is always bounded.
   */
  readonly spinCapNs: number;
  /** Logical cores of this machine (P is capped harder on 2 or fewer). */
  readonly cores: number;
}

/** Options of {@link configureDispatcher}. */
export interface DispatcherOptions {
  /** Spin budget P in microseconds (0..10000); `null` goes back to the measured default. */
  readonly spinBudgetUs?: number | null;
}

/** Bounds of the derived P: never below 5 µs (useless), never above 1 ms (or 200 µs on ≤ 2 cores). */
const MIN_DERIVED_NS = 5_000;
const MAX_DERIVED_NS = 1_000_000;
const MAX_DERIVED_FEW_CORES_NS = 200_000;
/** Caps of the adaptive P. */
const SPIN_CAP_NS = 8_000_000;
const SPIN_CAP_FEW_CORES_NS = 8_000_000;
/** Largest P anyone may configure: spinning is always bounded. */
const MAX_CONFIGURED_US = 10_000;

let wakeCostNs: number | undefined;
let configuredNs: number | undefined;
const cores = availableParallelism();

function derivedBudgetNs(c: number): number {
  const cap = cores <= 2 ? MAX_DERIVED_FEW_CORES_NS : MAX_DERIVED_NS;
  return Math.min(cap, Math.max(MIN_DERIVED_NS, c));
}

/** The dispatcher configuration of this thread (measures C on first call). */
export function dispatcherConfig(): DispatcherConfig {
  wakeCostNs ??= measureWakeCostNs();
  return {
    spinBudgetNs: configuredNs ?? derivedBudgetNs(wakeCostNs),
    wakeCostNs,
    spinBudgetConfigured: configuredNs !== undefined,
    spinCapNs: cores <= 2 ? SPIN_CAP_FEW_CORES_NS : SPIN_CAP_NS,
    cores,
  };
}

/** Sets this thread's spin budget P (each thread has its own dispatcher and its own setting). */
export function configureDispatcher(options: DispatcherOptions): DispatcherConfig {
  const us = options.spinBudgetUs;
  if (us === null) {
    configuredNs = undefined;
  } else if (us !== undefined) {
    if (typeof us !== "number" || !Number.isFinite(us) || us < 0 || us > MAX_CONFIGURED_US) {
      throw new ShoalError(
        "BAD_OPTION",
        `options.spinBudgetUs must be a number between 0 and ${MAX_CONFIGURED_US}, got ${String(us)}`,
      );
    }
    configuredNs = Math.round(us * 1000);
  }
  return dispatcherConfig();
}
