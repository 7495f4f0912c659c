/**
 * Typed errors of the stub compiler, each with a stable code.
 *
 * @packageDocumentation
 */

/** Stable codes of {@link GenerateError}. */
export type GenerateErrorCode =
  /** The interface uses a construct shoal's stubs cannot carry (e.g. a dynamic array of structs). */
  | "unsupported-type"
  /** A template failed to render: a bug in the generator, never the user's input. */
  | "template";

/** The interface cannot be compiled into stubs. */
export class GenerateError extends Error {
  override readonly name = "GenerateError";
  readonly code: GenerateErrorCode;
  constructor(code: GenerateErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** True when `e` is a {@link GenerateError}. */
export function isGenerateError(e: unknown): e is GenerateError {
  return e instanceof GenerateError;
}

/** Stable codes of {@link OutputError}. */
export type OutputErrorCode =
  /** `-o DIR` names something that exists and is not a directory (or a path through a file). */
  | "OUT_NOT_A_DIRECTORY"
  /** The directory or a file in it could not be created or written (permissions, disk full...). */
  | "WRITE_FAILED";

/** `flounder gen` could not write its output. */
export class OutputError extends Error {
  override readonly name = "OutputError";
  readonly code: OutputErrorCode;
  /** The path as the user gave it (or the file under it that failed). */
  readonly path: string;
  constructor(code: OutputErrorCode, path: string, message: string) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

/** True when `e` is an {@link OutputError}. */
export function isOutputError(e: unknown): e is OutputError {
  return e instanceof OutputError;
}
