/** Stable codes of {@link ThreadsError}. */
export type ThreadsErrorCode =
  | "BAD_OFFSET"
  | "BAD_ARGUMENT"
  | "NOT_OWNER"
  | "TIMED_OUT"
  | "THREAD_FAILED"
  | "DETACHED"
  | "ALREADY_JOINED"
  | "TEAM_CLOSED"
  | "ENTRY_NOT_FOUND"
  | "WORKER_DIED";

/** The error every part of @shoal/threads throws, with a stable `code`. */
export class ThreadsError extends Error {
  readonly code: ThreadsErrorCode;
  constructor(code: ThreadsErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = "ThreadsError";
    this.code = code;
  }
}

/** True when `e` is a {@link ThreadsError} (optionally with `code`). */
export function isThreadsError(e: unknown, code?: ThreadsErrorCode): e is ThreadsError {
  return e instanceof ThreadsError && (code === undefined || e.code === code);
}
