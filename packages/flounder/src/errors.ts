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
