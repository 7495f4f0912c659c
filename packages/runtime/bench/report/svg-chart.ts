/**
 * A hand-written SVG chart of one run (no charting dependency): horizontal bars on log scales, one
 * colour per transport. Top panel: round-trip medians (lower is better) with the p99 as a thin tick;
 * bottom panel: pipelined throughput per payload size (higher is better).
 */
import type { ResultRow, TransportName } from "../results.js";
import { TRANSPORTS } from "../results.js";
import { formatNs, formatRate } from "./format.js";

const COLORS: Readonly<Record<TransportName, string>> = {
  urpc: "#1f77b4",
  lrpc: "#2ca02c",
  port: "#9467bd",
  "raw-sab": "#7f7f7f",
  postmessage: "#d62728",
  comlink: "#ff7f0e",
};

const WIDTH = 860;
const LABEL_W = 190;
const VALUE_W = 110;
const BAR_H = 14;
const GAP = 4;
const PLOT_W = WIDTH - LABEL_W - VALUE_W - 20;

interface Bar {
  readonly label: string;
  readonly transport: TransportName;
  readonly value: number;
  readonly tick: number | null;
  readonly text: string;
}

/** The SVG document for `rows`, titled with the machine line. */
export function renderChart(rows: readonly ResultRow[], machine: string): string {
  const order = (r: ResultRow) => TRANSPORTS.indexOf(r.transport);
  const roundTrips = rows
    .filter((r) => r.test !== "throughput")
    .sort((a, b) => a.test.localeCompare(b.test) || order(a) - order(b))
    .map(
      (r): Bar => ({
        label: `${r.transport} ${r.test}`,
        transport: r.transport,
        value: r.median_ns,
        tick: r.p99_ns,
        text: `${formatNs(r.median_ns)} (p99 ${formatNs(r.p99_ns)})`,
      }),
    );
  const throughput = rows
    .filter((r) => r.test === "throughput" && r.msgs_per_s !== null)
    .sort((a, b) => a.payload_bytes - b.payload_bytes || order(a) - order(b))
    .map(
      (r): Bar => ({
        label: `${r.transport} ${r.payload_bytes} B`,
        transport: r.transport,
        value: r.msgs_per_s ?? 0,
        tick: null,
        text: formatRate(r.msgs_per_s ?? 0),
      }),
    );
  const parts: string[] = [];
  let y = 20;
  parts.push(text(10, y, "shoal transport benchmark", "title"));
  y += 14;
  // The machine line is long: it gets its own line in the small axis font.
  parts.push(text(10, y, machine, "axis"));
  y += 8;
  y = panel(parts, y, "Round trip, median (log scale, lower is better; tick = p99)", roundTrips, true);
  y = panel(
    parts,
    y + 10,
    "Pipelined one-way throughput, 16 in flight (log scale, higher is better)",
    throughput,
    false,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y + 10}" viewBox="0 0 ${WIDTH} ${y + 10}" role="img">`,
    // Screen readers announce the title; it also names the chart in a browser tab.
    `<title>${escapeXml(`shoal transport benchmark: ${machine}`)}</title>`,
    "<style>text{font:11px sans-serif;fill:#222}.title{font-weight:bold;font-size:12px}.head{font-weight:bold}.axis{fill:#666;font-size:9px}</style>",
    `<rect width="${WIDTH}" height="${y + 10}" fill="#fff"/>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}

/** Draws one panel starting at `top`; returns the y below it. */
function panel(
  parts: string[],
  top: number,
  title: string,
  bars: readonly Bar[],
  withTicks: boolean,
): number {
  let y = top + 16;
  parts.push(text(10, y, title, "head"));
  y += 8;
  if (bars.length === 0) {
    parts.push(text(LABEL_W, y + 12, "no rows measured", "axis"));
    return y + 20;
  }
  const values = bars.flatMap((b) => (withTicks && b.tick !== null ? [b.value, b.tick] : [b.value]));
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const x = (v: number) => LABEL_W + (Math.log10(v / lo) / Math.log10(hi / lo)) * PLOT_W;
  const plotTop = y;
  const plotBottom = y + bars.length * (BAR_H + GAP);
  for (let d = lo; d <= hi * 1.0001; d *= 10) {
    const gx = x(d).toFixed(1);
    parts.push(`<line x1="${gx}" y1="${plotTop}" x2="${gx}" y2="${plotBottom}" stroke="#ddd"/>`);
    parts.push(text(x(d) - 10, plotBottom + 11, withTicks ? formatNs(d) : formatRate(d), "axis"));
  }
  for (const b of bars) {
    const w = Math.max(1, x(b.value) - LABEL_W);
    parts.push(text(10, y + BAR_H - 3, b.label));
    parts.push(
      `<rect x="${LABEL_W}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${COLORS[b.transport]}"/>`,
    );
    if (withTicks && b.tick !== null) {
      const tx = x(b.tick).toFixed(1);
      parts.push(
        `<line x1="${tx}" y1="${y - 1}" x2="${tx}" y2="${y + BAR_H + 1}" stroke="#000" stroke-width="1.5"/>`,
      );
    }
    parts.push(text(LABEL_W + PLOT_W + 8, y + BAR_H - 3, b.text));
    y += BAR_H + GAP;
  }
  return plotBottom + 16;
}

function text(x: number, y: number, content: string, cls?: string): string {
  const c = cls === undefined ? "" : ` class="${cls}"`;
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${c}>${escapeXml(content)}</text>`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
