/**
 * Typed errors of the system knowledge base, each with a stable code. A Prolog error never escapes as
 * printed text or a stack trace: it becomes an {@link SkbError} and the engine stays usable.
 */

/** Stable error codes. */
export type SkbErrorCode =
  /** A query or a loaded program does not parse; `file`, `line` and `column` say where. */
  | "SYNTAX"
  /** A called predicate (or another object, e.g. a source file) does not exist. */
  | "EXISTENCE"
  /** An argument has the wrong type (`atom_length(1, X, Y)`, `X is a + 1`). */
  | "TYPE"
  /** An argument has the right type but a value outside the accepted domain. */
  | "DOMAIN"
  /** An argument that must be bound was not. */
  | "INSTANTIATION"
  /** An operation the engine does not permit (e.g. modifying a static system predicate). */
  | "PERMISSION"
  /** Arithmetic failed: division by zero, undefined result. */
  | "EVALUATION"
  /** The engine ran out of stack or memory for this query. */
  | "RESOURCE"
  /** The query ran over its time limit. */
  | "TIME_LIMIT"
  /** The program threw a term that is not an ISO error (`throw(my_ball)`); `ball` holds it. */
  | "THROWN"
  /** Loading a program reported errors (other than syntax errors); `diagnostics` lists them. */
  | "LOAD"
  /** The engine could not be started, or a file could not be read. */
  | "ENGINE"
  /** Discovery or a board file gave data the SKB cannot use; the message names the file. */
  | "BAD_FACTS"
  /** No board of the requested name. */
  | "NO_SUCH_BOARD"
  /** An argument passed to the SKB's TypeScript API is invalid; the message names it. */
  | "BAD_ARGUMENT"
  /** A query's answer did not have the shape its typed wrapper expects. */
  | "BAD_ANSWER";

/** One message reported while loading a program (an error or a warning), with its position. */
export interface SkbDiagnostic {
  readonly severity: "error" | "warning";
  readonly file: string;
  /** 1-based line, or 0 when the engine did not know it. */
  readonly line: number;
  /** 1-based column, or 0 when unknown. */
  readonly column: number;
  readonly message: string;
}

/** Details an {@link SkbError} may carry. */
export interface SkbErrorDetails {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** The query text, for errors raised by a query. */
  readonly query?: string;
  /** The Prolog error term as text (`error(type_error(integer,a),_)`). */
  readonly term?: string;
  readonly diagnostics?: readonly SkbDiagnostic[];
  readonly cause?: unknown;
}

/** The error class of @shoal/skb. */
export class SkbError extends Error {
  override readonly name: string = "SkbError";
  readonly code: SkbErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly query: string | undefined;
  readonly term: string | undefined;
  readonly diagnostics: readonly SkbDiagnostic[];

  constructor(code: SkbErrorCode, message: string, details: SkbErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
    this.query = details.query;
    this.term = details.term;
    this.diagnostics = details.diagnostics ?? [];
  }
}

/** True when `e` is an SkbError, optionally of the given code. */
export function isSkbError(e: unknown, code?: SkbErrorCode): e is SkbError {
  return e instanceof SkbError && (code === undefined || e.code === code);
}
