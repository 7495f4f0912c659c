/**
 * A small SVG line chart in the style of the paper's Figures 6-8: latency against cores, one line
 * per series, measured series solid with markers and the paper's values dashed.
 */

/** One line of a chart. */
export interface Series {
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
  readonly color: string;
  /** Dashed (the paper's values). */
  readonly dashed?: boolean;
}

/** A chart. */
export interface Chart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
}

const W = 520;
const H = 340;
const M = { left: 64, right: 150, top: 34, bottom: 46 };

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** One chart as an SVG group of `W` x `H`, translated to (`x`, `y`). */
export function chartGroup(c: Chart, x: number, y: number): string {
  const pts = c.series.flatMap((s) => s.points).filter(([, v]) => Number.isFinite(v));
  const xMax = Math.max(2, ...pts.map(([a]) => a));
  const yMax = niceMax(Math.max(...pts.map(([, b]) => b), 0));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (v: number) => M.left + (v / xMax) * pw;
  const sy = (v: number) => M.top + ph - (v / yMax) * ph;
  const out: string[] = [`<g transform="translate(${x},${y})" font-family="sans-serif" font-size="11">`];
  out.push(`<text x="${W / 2 - 40}" y="18" font-size="13" text-anchor="middle">${esc(c.title)}</text>`);
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  for (let i = 0; i <= 5; i++) {
    const v = (yMax * i) / 5;
    out.push(
      `<line x1="${M.left}" x2="${M.left + pw}" y1="${sy(v)}" y2="${sy(v)}" stroke="#ddd"/>`,
      `<text x="${M.left - 6}" y="${sy(v) + 4}" text-anchor="end">${+v.toPrecision(3)}</text>`,
    );
  }
  const ticks = xMax <= 16 ? [2, 4, 8, 12, 16].filter((t) => t <= xMax) : [2, 8, 16, 24, 32];
  for (const t of ticks) {
    out.push(`<text x="${sx(t)}" y="${M.top + ph + 16}" text-anchor="middle">${t}</text>`);
  }
  out.push(`<text x="${M.left + pw / 2}" y="${H - 10}" text-anchor="middle">${esc(c.xLabel)}</text>`);
  out.push(
    `<text transform="translate(16,${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}</text>`,
  );
  c.series.forEach((s, i) => {
    const good = s.points.filter(([, v]) => Number.isFinite(v));
    const d = good
      .map(([a, b], k) => `${k === 0 ? "M" : "L"}${sx(a).toFixed(1)},${sy(b).toFixed(1)}`)
      .join("");
    out.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5,4"' : ""}/>`,
    );
    if (!s.dashed) {
      for (const [a, b] of good) out.push(`<circle cx="${sx(a)}" cy="${sy(b)}" r="2.5" fill="${s.color}"/>`);
    }
    const ly = M.top + 10 + i * 16;
    out.push(
      `<line x1="${M.left + pw + 10}" x2="${M.left + pw + 30}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,4"' : ""}/>`,
      `<text x="${M.left + pw + 34}" y="${ly + 4}">${esc(s.label)}</text>`,
    );
  });
  out.push("</g>");
  return out.join("\n");
}

/** Charts laid out two per row in one SVG document. */
export function chartsSvg(charts: readonly Chart[]): string {
  const rows = Math.ceil(charts.length / 2);
  const body = charts.map((c, i) => chartGroup(c, (i % 2) * W, Math.floor(i / 2) * H)).join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${rows * H}" viewBox="0 0 ${2 * W} ${rows * H}">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
}
