/**
 * The package's one error class. A shootdown or agreement that cannot complete ends in a
 * {@link ShootdownError} with a stable `code`, never in a hang: the initiator's callback gets it.
 */

/** Stable codes of {@link ShootdownError}. */
export type ShootdownErrorCode =
  /** A target core died (its monitor reported it) while the operation was in flight. */
  | "PEER_DIED"
  /** No answer within the operation's deadline (a core that died without anyone noticing). */
  | "TIMEOUT"
  /** Two-phase commit: a participant refused (a conflicting operation holds the object, or its check failed). */
  | "REFUSED"
  /** A route table that does not cover the cores it is asked for, or a malformed tree. */
  | "BAD_ROUTES"
  /** A caller's argument out of range (a core, a range, a count). */
  | "BAD_ARGUMENT"
  /** A message that does not decode, or one for an operation this core does not know. */
  | "BAD_MESSAGE"
  /** The Linux baseline could not be built or run (no `cc`, a failed run). */
  | "NATIVE";

/** Extra data some errors carry. */
export interface ShootdownErrorDetails {
  /** The core the error is about (the dead one, the refusing one). */
  readonly core?: number;
  /** REFUSED: the participant's reason code (e.g. `CONFLICT`, or a check's own code). */
  readonly reason?: string;
  readonly cause?: unknown;
}

/** An error of @shoal/shootdown. */
export class ShootdownError extends Error {
  override readonly name = "ShootdownError";
  readonly code: ShootdownErrorCode;
  readonly core: number | undefined;
  readonly reason: string | undefined;

  constructor(code: ShootdownErrorCode, message: string, details: ShootdownErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.core = details.core;
    this.reason = details.reason;
  }
}

/** True when `e` is a {@link ShootdownError} (optionally of the given code). */
export function isShootdownError(e: unknown, code?: ShootdownErrorCode): e is ShootdownError {
  return e instanceof ShootdownError && (code === undefined || e.code === code);
}
