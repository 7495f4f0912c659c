/**
 * Typed errors of the transport benchmark, each with a stable code, so the runner can print one clear
 * line (never a stack trace for user error) and exit non-zero.
 */

/** Stable codes of {@link BenchError}. */
export type BenchErrorCode =
  /** An option is unknown or malformed (`--only` naming no transport). */
  | "BAD_ARGS"
  /** A wait (spin, reply, worker start) exceeded its deadline: the peer is stuck or gone. */
  | "TIMEOUT"
  /** A worker thread threw, or exited before the benchmark finished with it. */
  | "WORKER_FAILED"
  /** A workload saw a wrong value come back (a transport bug, not a slow run). */
  | "WRONG_RESULT"
  /** A suite was asked for a test it has no form of (a bug in the runner, not in a transport). */
  | "NOT_APPLICABLE";

/** An error of the benchmark with a stable {@link BenchErrorCode}. */
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
