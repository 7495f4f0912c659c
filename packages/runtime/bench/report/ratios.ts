/**
 * Ratios of a row to the baselines measured in the same run: to the raw-sab floor and to postMessage.
 * Round trips compare medians with the raw-sab row of the same test (ping-pong: the raw ping-pong; rpc:
 * the same exchange with each round trip awaited, the least an awaitable call costs); throughput
 * compares rates at the same payload size. A row with a paired floor uses its `floor_ratio` (round trips)
 * or `floor_rate_ratio` (throughput), the median of per-pair ratios (see harness/paired-floor.ts); otherwise the floor is the one measured with
 * the row when there is one (`floor_median_ns` / `floor_msgs_per_s`), else the raw-sab row.
 */
import type { ResultRow } from "../results.js";

/** How a row compares with the baselines; null where the baseline row is missing. */
export interface Ratios {
  /**
   * Round trips: the paired floor ratio, else median ÷ the raw-sab median of the same test (1.00 =
   * the floor, higher is slower).
   */
  readonly timeVsFloor: number | null;
  /**
   * Throughput: the paired floor rate ratio, else rate ÷ raw-sab rate at the same payload (1.00 = the
   * floor, lower is slower).
   */
  readonly rateVsFloor: number | null;
  /** How many times faster than postMessage in the same test (round trip: time; throughput: rate). */
  readonly speedupVsPostMessage: number | null;
}

/** Finds the baseline rows once and computes {@link Ratios} for any row. */
export function ratioFinder(rows: readonly ResultRow[]): (row: ResultRow) => Ratios {
  const find = (transport: string, test: string, payload?: number) =>
    rows.find(
      (r) =>
        r.transport === transport &&
        r.test === test &&
        (payload === undefined || r.payload_bytes === payload),
    );

  return (row) => {
    if (row.test === "throughput") {
      const floor = find("raw-sab", "throughput", row.payload_bytes);
      const pm = find("postmessage", "throughput", row.payload_bytes);
      const rate = row.msgs_per_s ?? 0;
      return {
        timeVsFloor: null,
        rateVsFloor:
          row.floor_rate_ratio ??
          (row.floor_msgs_per_s
            ? rate / row.floor_msgs_per_s
            : floor?.msgs_per_s
              ? rate / floor.msgs_per_s
              : null),
        speedupVsPostMessage: pm?.msgs_per_s ? rate / pm.msgs_per_s : null,
      };
    }
    const pm = find("postmessage", row.test);
    const floorRoundTrip = find("raw-sab", row.test);
    return {
      timeVsFloor:
        row.floor_ratio ??
        (row.floor_median_ns
          ? row.median_ns / row.floor_median_ns
          : floorRoundTrip
            ? row.median_ns / floorRoundTrip.median_ns
            : null),
      rateVsFloor: null,
      speedupVsPostMessage: pm ? pm.median_ns / row.median_ns : null,
    };
  };
}
