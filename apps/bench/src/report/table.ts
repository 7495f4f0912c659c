/**
 * The results table, after the paper's Tables 2-3: one row per transport × test × payload, with the
 * median and p99 (per round trip, or per message for throughput), the rate, the raw-sab floor measured
 * with the row (paired, or right before it: see harness/measure.ts), and the ratios to that floor and to postMessage measured in the same run. Plain text for the terminal, or Markdown.
 */
import type { ResultRow, SkippedRow } from "../results.js";
import { formatNs, formatPercent, formatRate, formatRatio } from "./format.js";
import { ratioFinder } from "./ratios.js";

/** Prefix of a skipped row's reason that marks a failed test (shown as is, not as "skipped"). */
export const FAILED = "FAILED: ";

const HEADER = [
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

/** The table's cells, header first; skipped rows show their reason. */
export function tableCells(results: readonly ResultRow[], skipped: readonly SkippedRow[]): string[][] {
  const ratios = ratioFinder(results);
  const rows: string[][] = [HEADER];
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
    rows.push([s.transport, s.test, `${s.payload_bytes} B`, note, "", "", "", "", ""]);
  }
  return rows;
}

/** Fixed-width text, numbers right-aligned. */
export function textTable(cells: readonly (readonly string[])[]): string {
  const widths = HEADER.map((_, c) =>
    Math.max(...cells.filter((r) => !isSkipped(r)).map((r) => r[c]?.length ?? 0)),
  );
  const lines = cells.map((row) => {
    if (isSkipped(row))
      return `${pad(row[0], widths[0])}  ${pad(row[1], widths[1])}  ${pad(row[2], widths[2])}  ${row[3]}`;
    return row.map((cell, c) => (c < 2 ? pad(cell, widths[c]) : cell.padStart(widths[c] ?? 0))).join("  ");
  });
  const rule = "-".repeat(widths.reduce((a, w) => a + w + 2, -2));
  return [lines[0], rule, ...lines.slice(1)].join("\n");
}

/** A GitHub Markdown table. */
export function markdownTable(cells: readonly (readonly string[])[]): string {
  const [head, ...body] = cells;
  const line = (r: readonly string[]) => `| ${r.join(" | ")} |`;
  const align = HEADER.map((_, c) => (c < 2 ? "---" : "---:"));
  return [
    line(head ?? HEADER),
    line(align),
    ...body.map((r) => line(isSkipped(r) ? fillSkipped(r) : r)),
  ].join("\n");
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

function isSkipped(row: readonly string[]): boolean {
  const cell = row[3] ?? "";
  return cell.startsWith("skipped:") || cell.startsWith(FAILED);
}

function fillSkipped(row: readonly string[]): string[] {
  return [row[0] ?? "", row[1] ?? "", row[2] ?? "", row[3] ?? "", "", "", "", "", ""];
}

function pad(s: string | undefined, w: number | undefined): string {
  return (s ?? "").padEnd(w ?? 0);
}
