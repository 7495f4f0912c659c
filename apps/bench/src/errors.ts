/**
 * Typed errors of the runner, each with a stable code, so `main` can print one clear line (never a stack
 * trace for user error) and exit non-zero. A suite's own errors (its workloads failing) are the suite's
 * classes; the runner prints their `code` when they have one.
 */

/** Stable codes of {@link BenchError}. */
export type BenchErrorCode =
  /** A command-line argument is unknown or malformed (exit code 2). */
  | "BAD_ARGS"
  /** The suite name is not one the runner knows (exit code 2); the message lists the known ones. */
  | "UNKNOWN_SUITE"
  /**
   * A known suite cannot be loaded: its package is not in the checkout or not a dependency of apps/bench,
   * has no `./bench` export, or is not built; the message says which and what to do.
   */
  | "SUITE_MISSING"
  /** The suite's module loads but does not export a `suite` of the contract's shape. */
  | "SUITE_INVALID"
  /** The suite's run rejected, or reported failed tests (after its report was printed and written). */
  | "SUITE_FAILED"
  /** Writing the JSON or SVG output failed. */
  | "OUTPUT_FAILED";

/** An error of the runner with a stable {@link BenchErrorCode}. */
export class BenchError extends Error {
  /** The stable code; match on this, not on the message. */
  readonly code: BenchErrorCode;

  constructor(code: BenchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BenchError";
    this.code = code;
  }
}

/** True when `e` is a {@link BenchError} (optionally with the given code). */
export function isBenchError(e: unknown, code?: BenchErrorCode): e is BenchError {
  return e instanceof BenchError && (code === undefined || e.code === code);
}

/** A short, single-line description of any thrown value. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** The stable `code` of any error that has one (a suite's own error classes too), else null. */
export function errorCode(e: unknown): string | null {
  if (typeof e !== "object" || e === null || !("code" in e)) return null;
  return typeof e.code === "string" ? e.code : null;
}
