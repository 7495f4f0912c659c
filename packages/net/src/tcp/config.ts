/** Per-socket TCP settings and their defaults. */

import { NetError } from "../errors.js";

/** Settings of one connection (all times in ms). */
export interface TcpConfig {
  /** Receive buffer (bytes); also bounds the advertised window. */
  readonly rxBufferSize: number;
  /** Send buffer (bytes): what `send` accepts before it pushes back. */
  readonly txBufferSize: number;
  /** The MSS we announce and the most payload we put in a segment (default: interface MTU - 40). */
  readonly mss?: number;
  /** Announce window scaling (RFC 7323) when the buffer needs it. */
  readonly windowScaling: boolean;
  /** Announce SACK-permitted (RFC 2018). Off by default: this stack neither sends nor uses SACK blocks. */
  readonly sackPermitted: boolean;
  readonly initialRto: number;
  readonly minRto: number;
  readonly maxRto: number;
  /** Retransmissions of one segment before the connection is given up (TIMEOUT). */
  readonly maxRetries: number;
  /** Maximum segment lifetime; TIME-WAIT lasts 2·MSL. */
  readonly msl: number;
  /** Idle time before the first keep-alive probe; 0 disables keep-alive. */
  readonly keepAliveIdle: number;
  readonly keepAliveInterval: number;
  /** Unanswered probes before the connection is given up (TIMEOUT). */
  readonly keepAliveCount: number;
  /** Out-of-order ranges held by the reassembler. */
  readonly maxOutOfOrderRanges: number;
}

/** The defaults (Linux-like where the RFCs leave room: 200 ms RTO floor, 60 s TIME-WAIT). */
export const DEFAULT_TCP_CONFIG: TcpConfig = {
  rxBufferSize: 64 * 1024,
  txBufferSize: 64 * 1024,
  windowScaling: true,
  sackPermitted: false,
  initialRto: 1000,
  minRto: 200,
  maxRto: 60_000,
  maxRetries: 12,
  msl: 30_000,
  keepAliveIdle: 0,
  keepAliveInterval: 75_000,
  keepAliveCount: 9,
  maxOutOfOrderRanges: 32,
};

/** Merge `partial` over the defaults and validate every number. */
export function tcpConfig(partial: Partial<TcpConfig> = {}): TcpConfig {
  const c: TcpConfig = { ...DEFAULT_TCP_CONFIG, ...partial };
  const ints: [keyof TcpConfig, number, number][] = [
    ["rxBufferSize", 1, 1 << 30],
    ["txBufferSize", 1, 1 << 30],
    ["initialRto", 1, 3_600_000],
    ["minRto", 1, 3_600_000],
    ["maxRto", 1, 3_600_000],
    ["maxRetries", 1, 100],
    ["msl", 0, 3_600_000],
    ["keepAliveIdle", 0, 1e9],
    ["keepAliveInterval", 1, 1e9],
    ["keepAliveCount", 1, 1000],
    ["maxOutOfOrderRanges", 1, 4096],
  ];
  if (c.mss !== undefined) ints.push(["mss", 64, 65495]);
  for (const [k, lo, hi] of ints) {
    const v = c[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
      throw new NetError(
        "BAD_OPTION",
        `tcp option ${k} must be an integer in [${lo}, ${hi}] (got ${String(v)})`,
      );
    }
  }
  if (c.minRto > c.maxRto) throw new NetError("BAD_OPTION", "tcp option minRto must not exceed maxRto");
  return c;
}
