/**
 * The shapes the benchmark produces: one {@link ResultRow} per transport × test × payload, written
 * as-is to `--json FILE` (see docs/benchmarks.md for what each field means).
 */

/** Every transport the benchmark knows, stub transports first, then the baselines. */
export const TRANSPORTS = ["urpc", "lrpc", "port", "raw-sab", "postmessage", "comlink"] as const;
/** One of {@link TRANSPORTS}. */
export type TransportName = (typeof TRANSPORTS)[number];

/** The three tests of the issue. */
export type TestName = "pingpong" | "rpc" | "throughput";

/** Payload sizes (bytes) of the pipelined throughput test. */
export const THROUGHPUT_PAYLOADS = [8, 64, 256, 2048] as const;
/** Bytes carried by ping/pong and echo: one uint64. */
export const ROUND_TRIP_PAYLOAD = 8;
/** Messages a throughput sender may have outstanding (the "16 in flight"). */
export const IN_FLIGHT = 16;

/** One measured row. */
export interface ResultRow {
  readonly transport: TransportName;
  readonly test: TestName;
  readonly payload_bytes: number;
  /** pingpong/rpc: per round trip; throughput: per message (from the runs' rates). */
  readonly median_ns: number;
  readonly p99_ns: number;
  /** throughput only (null for the round-trip tests). */
  readonly msgs_per_s: number | null;
  /** How many samples (round-trip batches, or throughput runs) the statistics are over. */
  readonly samples: number;
  /**
   * The raw-sab floor measured with this row (round trips: its ping-pong median; throughput: its rate
   * at this payload): for urpc and port round trips the paired floor (the median of all its chunks),
   * else the floor measured right before the row; null for raw-sab itself, or when the run has no
   * raw-sab and the row no paired floor. Ratios use these. Throughput rows of urpc and port: the rate of
   * the paired floor's median run.
   */
  readonly floor_median_ns: number | null;
  readonly floor_msgs_per_s: number | null;
  /**
   * Round trips with the paired floor (urpc, port): the median over chunk pairs of test chunk median ÷
   * floor chunk median, which "vs raw-sab" shows instead of median ÷ floor; null for every other row.
   */
  readonly floor_ratio: number | null;
  /**
   * Throughput with the paired floor (urpc, port): the median over run pairs of stub run rate ÷ floor run
   * rate, which "vs raw-sab" shows instead of msgs_per_s ÷ floor_msgs_per_s; null for every other row.
   */
  readonly floor_rate_ratio: number | null;
}

/** A row that could not be measured, with the reason shown in the table. */
export interface SkippedRow {
  readonly transport: TransportName;
  readonly test: TestName;
  readonly payload_bytes: number;
  readonly reason: string;
}

/**
 * Everything one run produced, the suite's JSON document (with `targets`); the runner writes it to
 * `--json FILE` after its own `machine` key.
 */
export interface BenchReport {
  readonly settings: {
    readonly quick: boolean;
    readonly round_trips: number;
    readonly batch: number;
    readonly throughput_messages: number;
    readonly throughput_runs: number;
  };
  readonly results: readonly ResultRow[];
  readonly skipped: readonly SkippedRow[];
  /** Tests that failed; a run with any failure exits non-zero (after writing what it measured). */
  readonly failures: readonly {
    readonly transport: TransportName;
    readonly test: TestName;
    readonly payload_bytes: number;
    readonly error: string;
  }[];
}
