/**
 * Typed errors of the capability system. Kernel paths return them as data ({@link CapResult}); only
 * the API edge ({@link unwrap}) turns a failure into a thrown {@link CapError}. Every code is stable:
 * the CPU driver passes it to user space and the monitor's protocols send it between cores.
 */

/** Stable error codes of capability operations. */
export type CapErrorCode =
  /** The CSpace address names no capability: an empty slot, or a path through a missing CNode. */
  | "CAP_NOT_FOUND"
  /** The capability has the wrong type for this invocation. */
  | "CAP_TYPE"
  /** The capability lacks a right this invocation needs. */
  | "CAP_RIGHTS"
  /** The retype's region overlaps objects already retyped from the source. */
  | "RETYPE_OVERLAP"
  /** The source has descendants of another kind in the way: revoke it first. */
  | "REVOKE_FIRST"
  /** The destination slot already holds a capability. */
  | "SLOT_OCCUPIED"
  /** An offset, size, count, slot index or address lies outside what the capability covers. */
  | "OUT_OF_RANGE"
  /** The type table forbids this retype (`canRetype(from, to)` is false). */
  | "RETYPE_INVALID"
  /** The object size is not allowed for the type (not a power of two, too small, misaligned). */
  | "INVALID_SIZE"
  /** A numeric argument is not a non-negative safe integer, or is otherwise malformed. */
  | "INVALID_ARGUMENT"
  /** The capability has remote copies or relations: the operation must go through the monitor. */
  | "RETRY_THROUGH_MONITOR"
  /** The capability is locked by a distributed operation in progress (or is being deleted). */
  | "CAP_LOCKED"
  /** Refused: the object is being deleted by a distributed delete (its ownership is moving). */
  | "CAP_IN_DELETE"
  /** Refused: the object, or an ancestor of it, is being revoked. */
  | "CAP_IN_REVOKE"
  /** The type may not travel to another core (Null, Kernel, mappings; see the type table). */
  | "CAP_NOT_SENDABLE"
  /** The capability may not be copied (never-copy types such as Null or a mapping). */
  | "CAP_NOT_COPYABLE"
  /** The VNode slot range of a map already holds mappings. */
  | "VNODE_SLOT_IN_USE"
  /** This object type cannot be mapped into that VNode type (or at that page size). */
  | "MAP_TYPE"
  /** Physical memory could not be allocated or is outside the machine's memory. */
  | "NO_MEMORY";

/** A failure as data: the code and a message saying which argument and why. */
export interface CapFailure {
  readonly ok: false;
  readonly code: CapErrorCode;
  readonly message: string;
}

/** A success carrying a value. */
export interface CapSuccess<T> {
  readonly ok: true;
  readonly value: T;
}

/** The outcome of a kernel operation. Kernel paths never throw on bad input. */
export type CapResult<T> = CapSuccess<T> | CapFailure;

/** Builds a failure. */
export function fail(code: CapErrorCode, message: string): CapFailure {
  return { ok: false, code, message };
}

/** Builds a success. */
export function ok<T>(value: T): CapSuccess<T> {
  return { ok: true, value };
}

/** Shared success without a value, so that void operations do not allocate. */
export const OK: CapSuccess<undefined> = Object.freeze({ ok: true, value: undefined });

/** The error class thrown at the API edge. */
export class CapError extends Error {
  override readonly name: string = "CapError";
  readonly code: CapErrorCode;

  constructor(code: CapErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(`${code}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** True when `e` is a CapError, optionally of the given code. */
export function isCapError(e: unknown, code?: CapErrorCode): e is CapError {
  return e instanceof CapError && (code === undefined || e.code === code);
}

/** Returns the value of a success or throws the failure as a {@link CapError}. */
export function unwrap<T>(result: CapResult<T>): T {
  if (result.ok) return result.value;
  throw new CapError(result.code, result.message);
}
