/** Number formatting shared by the table and the chart. */

/** `312 ns`, `8.41 µs`, `1.20 ms`: three significant digits in the unit that fits. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toPrecision(3)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toPrecision(3)} µs`;
  return `${(ns / 1_000_000).toPrecision(3)} ms`;
}

/** `12.3 M/s`, `512 k/s`. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toPrecision(3)} M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toPrecision(3)} k/s`;
  return `${perSecond.toPrecision(3)} /s`;
}

/** `1.12×`, `25.0×`, `370×`, `41300×` (never an exponent). */
export function formatRatio(r: number): string {
  if (r < 10) return `${r.toFixed(2)}×`;
  if (r < 100) return `${r.toFixed(1)}×`;
  return `${Math.round(r)}×`;
}

/** `87%`. */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
