import type { Span } from "./model.js";

/**
 * Offsets to lines and columns for one source text. Lines end at `\n`, `\r\n` or a lone `\r` (the same
 * rule {@link sourceLine} uses to print them), so a caret always lands under the reported column.
 */
export class LineTable {
  readonly #starts: number[] = [0];
  readonly #length: number;

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.#length = text.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.#starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.#starts.push(i + 1);
      }
    }
  }

  /** Length of the text this table describes. */
  get textLength(): number {
    return this.#length;
  }

  /** A span of `length` units at `offset`, clamped into the text (offset NaN means "at the end"). */
  span(offset: number, length: number): Span {
    let start = Number.isFinite(offset) ? Math.trunc(offset) : this.#length;
    if (start < 0) start = 0;
    if (start > this.#length) start = this.#length;
    let len = Number.isFinite(length) ? Math.trunc(length) : 0;
    if (len < 0) len = 0;
    if (start + len > this.#length) len = this.#length - start;
    const line = this.#lineIndex(start);
    return {
      file: this.file,
      line: line + 1,
      col: start - (this.#starts[line] ?? 0) + 1,
      offset: start,
      length: len,
    };
  }

  /** Index (0-based) of the line holding `offset`, by binary search. */
  #lineIndex(offset: number): number {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.#starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/**
 * The line around `offset` (without its terminator), the offset at which the returned text starts,
 * and whether the line goes on before it. Scans at most `reach` characters each way from `offset`, so
 * that printing 200 diagnostics of a 10 MB one-line file stays cheap.
 */
export function lineAround(
  text: string,
  offset: number,
  reach = Number.POSITIVE_INFINITY,
): { text: string; start: number; clipped: boolean } {
  const at = Math.max(0, Math.min(offset, text.length));
  let start = at;
  while (start > 0 && at - start < reach) {
    const c = text.charCodeAt(start - 1);
    if (c === 10 || c === 13) break;
    start--;
  }
  const before = text.charCodeAt(start - 1);
  const clipped = start > 0 && before !== 10 && before !== 13;
  let end = at;
  while (end < text.length && end - at < reach) {
    const c = text.charCodeAt(end);
    if (c === 10 || c === 13) break;
    end++;
  }
  return { text: text.slice(start, end), start, clipped };
}
