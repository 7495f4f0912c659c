/**
 * The results table, after the paper's Tables 2-3: one row per transport × test × payload, with the
 * median and p99 (per round trip, or per message for throughput), the rate, the raw-sab floor measured
 * with the row (paired, or right before it: see harness/measure.ts), and the ratios to that floor and to
 * postMessage measured in the same run. The cells only: apps/bench prints them as text or Markdown.
 */
import type { ResultRow, SkippedRow } from "../results.js";
import { formatNs, formatPercent, formatRate, formatRatio } from "./format.js";
import { ratioFinder } from "./ratios.js";

/** Prefix of a skipped row's reason that marks a failed test (shown as is, not as "skipped"). */
export const FAILED = "FAILED: ";

/** The table's columns. */
export const HEADER: readonly string[] = [
  "transport",
  "test",
  "payload",
  "median",
  "p99",
  "msgs/s",
  "floor",
  "vs raw-sab",
  "vs postMessage",
];

/** transport and test left-aligned, the figures right-aligned. */
export const ALIGN: readonly ("left" | "right")[] = HEADER.map((_, c) => (c < 2 ? "left" : "right"));

/**
 * The table's cells, header first; a skipped or failed row is four cells, the last its reason (a note
 * row, which runs on over the remaining columns).
 */
export function tableCells(results: readonly ResultRow[], skipped: readonly SkippedRow[]): string[][] {
  const ratios = ratioFinder(results);
  const rows: string[][] = [[...HEADER]];
  for (const r of results) {
    const q = ratios(r);
    const vsFloor =
      r.test === "throughput"
        ? q.rateVsFloor === null
          ? "-"
          : `${formatPercent(q.rateVsFloor)} of rate`
        : q.timeVsFloor === null
          ? "-"
          : `${formatRatio(q.timeVsFloor)} time`;
    const vsPm = q.speedupVsPostMessage === null ? "-" : speedup(q.speedupVsPostMessage);
    rows.push([
      r.transport,
      r.test,
      `${r.payload_bytes} B`,
      formatNs(r.median_ns),
      formatNs(r.p99_ns),
      r.msgs_per_s === null ? "-" : formatRate(r.msgs_per_s),
      pairedFloor(r),
      vsFloor,
      vsPm,
    ]);
  }
  for (const s of skipped) {
    const note = s.reason.startsWith(FAILED) ? s.reason : `skipped: ${s.reason}`;
    rows.push([s.transport, s.test, `${s.payload_bytes} B`, note]);
  }
  return rows;
}

/**
 * The raw-sab floor measured with the row, or "-": urpc/port rows show their paired floor (round trips:
 * its median; throughput: its median run's rate), and "vs raw-sab" is then the row's `floor_ratio` or
 * `floor_rate_ratio`, the median of per-pair ratios; other rows the floor measured right before them
 * (what "vs raw-sab" divides by).
 */
function pairedFloor(r: ResultRow): string {
  if (r.floor_median_ns !== null) return formatNs(r.floor_median_ns);
  if (r.floor_msgs_per_s !== null) return formatRate(r.floor_msgs_per_s);
  return "-";
}

/** `25.0× faster`, or `2.50× slower` below 1 (a ratio under 1 "faster" reads wrong). */
function speedup(r: number): string {
  return r >= 1 ? `${formatRatio(r)} faster` : `${formatRatio(1 / r)} slower`;
}
