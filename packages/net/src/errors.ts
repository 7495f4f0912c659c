/**
 * Typed errors of @shoal/net, each with a stable code. The stack itself never throws on frames from the
 * wire (malformed input is dropped and counted); these errors are for the socket API and options.
 */

/** Stable error codes. */
export type NetErrorCode =
  /** An option or argument is invalid; the message names it and the accepted range. */
  | "BAD_OPTION"
  /** The address/port is already bound by another socket of this stack. */
  | "ADDR_IN_USE"
  /** The socket (or the stack) was closed. */
  | "CLOSED"
  /** No route or no neighbour for the destination. */
  | "UNREACHABLE"
  /** A datagram or segment is larger than the path allows. */
  | "MSG_SIZE"
  /** A queue is full: try again after the stack has drained it. */
  | "NO_BUFFER"
  /** A wait (connect, receive with a timeout, resolution) did not finish in time. */
  | "TIMEOUT"
  /** The peer reset the connection. */
  | "RESET"
  /** The peer refused the connection (RST to a SYN, or ICMP unreachable). */
  | "REFUSED"
  /** A device could not be opened or failed (TAP bridge missing, socket error). */
  | "DEVICE"
  /** A frame or field failed validation (from the wire layer when asked to parse strictly). */
  | "MALFORMED";

/** The error class of @shoal/net. */
export class NetError extends Error {
  override readonly name: string = "NetError";
  readonly code: NetErrorCode;

  constructor(code: NetErrorCode, message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** True when `e` is a NetError, optionally of the given code. */
export function isNetError(e: unknown, code?: NetErrorCode): e is NetError {
  return e instanceof NetError && (code === undefined || e.code === code);
}
