/** One panel of the Figure 9 chart: seconds against cores for two series. */
export interface Panel {
  title: string;
  cores: number[];
  series: { name: string; seconds: number[] }[];
}

const W = 260;
const H = 200;
const PAD = 40;
const COLOURS = ["#1f77b4", "#d62728"];

/** Draws the panels side by side, like the paper's Figure 9 (compute time vs cores, one line per system). */
export function figure9(panels: Panel[], caption: string): string {
  const out: string[] = [];
  const width = panels.length * W + 20;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 60}" font-family="sans-serif" font-size="11">`,
  );
  out.push(`<text x="10" y="${H + 50}">${xmlEscape(caption)}</text>`);
  panels.forEach((p, i) => {
    const x0 = 10 + i * W;
    const max = Math.max(...p.series.flatMap((s) => s.seconds)) * 1.1 || 1;
    const px = (k: number) => x0 + PAD + (k / Math.max(1, p.cores.length - 1)) * (W - PAD - 20);
    const py = (s: number) => 20 + (H - PAD) * (1 - s / max);
    out.push(`<text x="${x0 + PAD}" y="14" font-weight="bold">${xmlEscape(p.title)}</text>`);
    out.push(`<line x1="${x0 + PAD}" y1="${py(0)}" x2="${x0 + W - 20}" y2="${py(0)}" stroke="#000"/>`);
    out.push(`<line x1="${x0 + PAD}" y1="20" x2="${x0 + PAD}" y2="${py(0)}" stroke="#000"/>`);
    out.push(
      `<text x="${x0 + 2}" y="24">${max.toPrecision(2)}s</text><text x="${x0 + 20}" y="${py(0)}">0</text>`,
    );
    p.cores.forEach((c, k) => {
      out.push(`<text x="${px(k) - 3}" y="${py(0) + 14}">${c}</text>`);
    });
    out.push(`<text x="${x0 + W / 2 - 10}" y="${py(0) + 28}">cores</text>`);
    p.series.forEach((s, j) => {
      const pts = s.seconds.map((v, k) => `${px(k).toFixed(1)},${py(v).toFixed(1)}`).join(" ");
      out.push(`<polyline fill="none" stroke="${COLOURS[j % 2]}" stroke-width="2" points="${pts}"/>`);
      out.push(
        `<text x="${x0 + W - 110}" y="${34 + 14 * j}" fill="${COLOURS[j % 2]}">${xmlEscape(s.name)}</text>`,
      );
    });
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
