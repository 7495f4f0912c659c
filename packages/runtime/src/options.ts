/**
 * Options of {@link connectPair}, validated precisely: a bad value is a BAD_OPTION error whose message
 * names the option and the accepted range, never a crash later on.
 */
import { ShoalError } from "./errors.js";

/** Options of a connection, fixed when the pair is created. */
export interface ConnectOptions {
  /** urpc: 64-byte lines per direction (a power of two, 2..4096). Default 32, i.e. 2 KiB as in Barrelfish. */
  readonly lines?: number;
  /**
   * Messages a sender may queue when the channel is full before `send` rejects with TX_BUSY
   * (1..1_000_000). Default 4096.
   */
  readonly sendQueue?: number;
  /** port: messages in flight before the sender waits for credit (1..65536). Default 64. */
  readonly credits?: number;
  /**
   * urpc: the most bytes of strings and arrays one message may carry on this connection (4096..2^30).
   * The receiver never holds more for a message in assembly, whatever a peer's length words claim; a
   * sender is refused larger messages with MSG_SIZE. Default 64 MiB.
   */
  readonly receiveBudget?: number;
}

/** {@link ConnectOptions} with every default filled in. */
export interface ResolvedConnectOptions {
  readonly lines: number;
  readonly sendQueue: number;
  readonly credits: number;
  readonly receiveBudget: number;
}

/** Default ring size per direction (Barrelfish's 2 KiB). */
export const DEFAULT_LINES = 32;
/** Default send queue bound. */
export const DEFAULT_SEND_QUEUE = 4096;
/** Default port credit window. */
export const DEFAULT_CREDITS = 64;
/** Default receive budget of a urpc connection (bytes of strings and arrays in one message). */
export const DEFAULT_RECEIVE_BUDGET = 64 * 1024 * 1024;
/** Bounds of the receive budget. */
export const MIN_RECEIVE_BUDGET = 4096;
export const MAX_RECEIVE_BUDGET = 2 ** 30;

function integerIn(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ShoalError(
      "BAD_OPTION",
      `options.${name} must be an integer between ${min} and ${max}, got ${String(value)}`,
    );
  }
  return value;
}

/** Validates `options` (which may come from untyped callers) and fills in defaults. */
export function resolveConnectOptions(options: ConnectOptions | undefined): ResolvedConnectOptions {
  if (options === undefined) {
    return {
      lines: DEFAULT_LINES,
      sendQueue: DEFAULT_SEND_QUEUE,
      credits: DEFAULT_CREDITS,
      receiveBudget: DEFAULT_RECEIVE_BUDGET,
    };
  }
  if (typeof options !== "object" || options === null) {
    throw new ShoalError("BAD_OPTION", "options must be an object");
  }
  for (const key of Object.keys(options)) {
    if (key !== "lines" && key !== "sendQueue" && key !== "credits" && key !== "receiveBudget") {
      throw new ShoalError(
        "BAD_OPTION",
        `options.${key} is not a connect option (lines, sendQueue, credits, receiveBudget)`,
      );
    }
  }
  const lines = options.lines;
  if (lines !== undefined) {
    const ok = typeof lines === "number" && Number.isInteger(lines) && lines >= 2 && lines <= 4096;
    if (!ok || (lines & (lines - 1)) !== 0) {
      throw new ShoalError(
        "BAD_OPTION",
        `options.lines must be a power of two between 2 and 4096, got ${String(lines)}`,
      );
    }
  }
  return {
    lines: lines ?? DEFAULT_LINES,
    sendQueue: integerIn("sendQueue", options.sendQueue, 1, 1_000_000, DEFAULT_SEND_QUEUE),
    credits: integerIn("credits", options.credits, 1, 65536, DEFAULT_CREDITS),
    receiveBudget: integerIn(
      "receiveBudget",
      options.receiveBudget,
      MIN_RECEIVE_BUDGET,
      MAX_RECEIVE_BUDGET,
      DEFAULT_RECEIVE_BUDGET,
    ),
  };
}
