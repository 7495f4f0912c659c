/**
 * Errors a domain sees from the OS services behind its Domain object, each with a stable code (the
 * channels' own errors stay the runtime's ShoalErrors: PEER_DIED, CLOSED, ...).
 */

/** Stable codes of OS-level failures. */
export type OsErrorCode =
  /** A module could not be loaded, has no default export, or its core refused it. */
  | "SPAWN_FAILED"
  /** No such core (out of range, or dead). */
  | "NO_SUCH_CORE"
  /** A name is already registered. */
  | "NAME_TAKEN"
  /** A name was not registered within the lookup's deadline. */
  | "NO_SUCH_NAME"
  /** An iref names no export (never exported, or its domain exited). */
  | "NO_SUCH_IREF"
  /** The binding could not be set up (the server's core refused or failed). */
  | "BIND_FAILED"
  /** A request did not complete within its deadline. */
  | "TIMEOUT"
  /** A core the operation needed died while it was in flight (e.g. a spanned core during a shootdown). */
  | "PEER_DIED"
  /** An argument of a Domain call is invalid (the message says which and why). */
  | "BAD_ARGUMENT"
  /** An access outside a mapping, or to an unmapped or read-only page. */
  | "PAGE_FAULT"
  /** A 32-bit atomic operation or wait on a misaligned address of a mapped frame. */
  | "ALIGNMENT_FAULT"
  /** A cap argument that is not a capability of the domain's CSpace (a number, a foreign CapRef). */
  | "FORGED_CAP"
  /** The core's RAM cannot hold the object asked for. */
  | "OUT_OF_MEMORY"
  /** A capability invocation refused by the kernel's checks (`@shoal/caps` codes). */
  | "CAP_NOT_FOUND"
  | "CAP_TYPE"
  | "CAP_RIGHTS"
  | "CAP_NOT_SENDABLE"
  | "CAP_NOT_COPYABLE"
  | "SLOT_OCCUPIED"
  | "RETYPE_OVERLAP"
  | "RETYPE_INVALID"
  | "REVOKE_FIRST"
  | "INVALID_SIZE"
  | "OUT_OF_RANGE"
  | "INVALID_ARGUMENT"
  | "NO_MEMORY"
  | "CAP_LOCKED"
  | "CAP_IN_DELETE"
  | "CAP_IN_REVOKE"
  /** A core a distributed capability operation waited for died. */
  | "PEER_DIED"
  | "CAP_FAILED";

/** An OS-level failure seen by a domain. */
export class OsError extends Error {
  override readonly name = "OsError";
  readonly code: OsErrorCode;
  constructor(code: OsErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
  }
}

/** True when `e` is an OsError, optionally of `code`. */
export function isOsError(e: unknown, code?: OsErrorCode): e is OsError {
  return e instanceof OsError && (code === undefined || e.code === code);
}
