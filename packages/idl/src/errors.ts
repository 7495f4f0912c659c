/**
 * Typed errors of the file-reading and CLI layer (the parser and checker return diagnostics instead).
 *
 * @packageDocumentation
 */

/** Stable codes of {@link IdlIoError}. */
export type IdlIoErrorCode =
  | "FILE_NOT_FOUND"
  | "NOT_A_FILE"
  | "FILE_TOO_LARGE"
  /** Binary content: a NUL byte or bytes that are not UTF-8. */
  | "NOT_TEXT"
  | "READ_FAILED";

/** A file that could not be read. Returned as data by `checkFiles`, never thrown at its callers. */
export class IdlIoError extends Error {
  override readonly name = "IdlIoError";
  constructor(
    readonly code: IdlIoErrorCode,
    /** The path as the user gave it. */
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Type guard for {@link IdlIoError}. */
export function isIdlIoError(e: unknown): e is IdlIoError {
  return e instanceof IdlIoError;
}

/** A command line that cannot be run (unknown option, missing file argument...): exit code 2. */
export class IdlUsageError extends Error {
  override readonly name = "IdlUsageError";
  readonly code = "USAGE";
}

/** Type guard for {@link IdlUsageError}. */
export function isIdlUsageError(e: unknown): e is IdlUsageError {
  return e instanceof IdlUsageError;
}
