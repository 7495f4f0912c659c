/**
 * Typed errors of shoal's runtime and stubs, each with a stable code (as Flounder's error values).
 * Errors that cross a channel are rebuilt as the same class on the other side.
 */

/** Stable error codes. */
export type ShoalErrorCode =
  /** The send queue is full: wait for `whenSendable()`. */
  | "TX_BUSY"
  /** A string or array is longer than its declared bound. */
  | "MSG_SIZE"
  /** The binding (or its peer) was closed. */
  | "CLOSED"
  /** The peer's thread exited or crashed. */
  | "PEER_DIED"
  /** A received message failed validation; it never reached a handler. */
  | "BAD_MESSAGE"
  /** The two ends were generated from different versions of the interface. */
  | "BIND_MISMATCH"
  /** A capability could not be transferred over this channel. */
  | "CAP_TRANSFER"
  /** An endpoint was bound twice, or is of a kind this thread cannot use. */
  | "BAD_ENDPOINT"
  /** The remote rpc handler threw; the message says what it threw. */
  | "RPC_FAILED"
  /** A handler of this binding threw or rejected (reported to its `onError`; `cause` is what it threw). */
  | "HANDLER_FAILED"
  /** An option passed to the runtime is invalid; the message names it and the accepted range. */
  | "BAD_OPTION"
  /** The name service has no interface exported under the requested name (within the timeout). */
  | "NO_SUCH_SERVICE"
  /**
   * A value passed to a send or returned by an rpc handler is not of its declared type (a string for a
   * number, a plain array for a Uint8Array, a fixed array of the wrong length); nothing was sent.
   */
  | "BAD_ARGUMENT"
  /** A call or bind did not complete within its `timeoutMs`. */
  | "TIMEOUT";

/** Base class of every error the runtime and generated stubs produce. */
export class ShoalError extends Error {
  override readonly name: string = "ShoalError";
  readonly code: ShoalErrorCode;
  /** The interface message involved, when there is one (`ping`, `testrpc_call`). */
  readonly messageName: string | undefined;
  /** The argument involved, when there is one (`val`, `s`, `pt.x`). */
  readonly field: string | undefined;

  constructor(
    code: ShoalErrorCode,
    message: string,
    details: { readonly messageName?: string; readonly field?: string; readonly cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.messageName = details.messageName;
    this.field = details.field;
  }
}

/** True when `e` is a ShoalError, optionally of the given code. */
export function isShoalError(e: unknown, code?: ShoalErrorCode): e is ShoalError {
  return e instanceof ShoalError && (code === undefined || e.code === code);
}
