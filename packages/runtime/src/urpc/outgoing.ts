/**
 * The sending half of urpc framing for messages that do not take the one-line fast path: a message is
 * a sequence of lines (its fixed words, then each overflow run: a length word and the bytes), written
 * into the ring as lines become free. An {@link Outgoing} remembers how far it got, so a message longer
 * than the ring streams through it as the receiver frees lines.
 */
import type { ShoalError } from "../errors.js";
import { PAYLOAD_WORDS, RUN_FIRST_LINE_BYTES, RUN_LINE_BYTES, runLines } from "../protocol.js";

/** One message on its way into the ring. */
export class Outgoing {
  readonly num: number;
  readonly token: number;
  readonly caps: boolean;
  /** The staged fixed words (a copy owned by the channel). */
  readonly fixed: Uint32Array;
  readonly fixedLines: number;
  /** The overflow runs; copied by {@link own} before the caller could change them. */
  runs: readonly Uint8Array[];
  /** Lines of the whole message. */
  readonly total: number;
  /** Next line to write. */
  line = 0;
  private runIdx = 0;
  /** Bytes of the current run already written, or -1 before its first line. */
  private runOff = -1;
  resolve: (() => void) | null = null;
  reject: ((e: ShoalError) => void) | null = null;

  constructor(
    num: number,
    token: number,
    fixed: Uint32Array,
    fixedLines: number,
    runs: readonly Uint8Array[],
    caps: boolean,
  ) {
    this.num = num;
    this.token = token;
    this.fixed = fixed;
    this.caps = caps;
    let lines = fixedLines === 0 && runs.length === 0 ? 1 : fixedLines;
    this.fixedLines = lines;
    for (const r of runs) lines += runLines(r.length);
    this.total = lines;
    this.runs = runs;
  }

  /** Copies the overflow runs: the message outlives the `send` call that passed them in. */
  own(): void {
    this.runs = this.runs.map((r) => r.slice());
  }

  /** True when every line has been written. */
  get done(): boolean {
    return this.line >= this.total;
  }

  /**
   * Writes the payload (words 0..13) of the next line into the line at word `b` of `words` (`bytes` is a
   * byte view of the same memory) and advances. The caller writes the token and control words.
   */
  fill(words: Uint32Array, bytes: Uint8Array, b: number): void {
    const k = this.line++;
    if (k < this.fixedLines) {
      const off = k * PAYLOAD_WORDS;
      const end = Math.min(this.fixed.length, off + PAYLOAD_WORDS);
      if (end > off) words.set(this.fixed.subarray(off, end), b);
      if (end - off < PAYLOAD_WORDS) words.fill(0, b + Math.max(0, end - off), b + PAYLOAD_WORDS);
      return;
    }
    const run = this.runs[this.runIdx] as Uint8Array;
    if (this.runOff < 0) {
      words[b] = run.length;
      const n = Math.min(run.length, RUN_FIRST_LINE_BYTES);
      bytes.set(run.subarray(0, n), (b + 1) * 4);
      this.runOff = n;
    } else {
      const n = Math.min(run.length - this.runOff, RUN_LINE_BYTES);
      bytes.set(run.subarray(this.runOff, this.runOff + n), b * 4);
      this.runOff += n;
    }
    if (this.runOff >= run.length) {
      this.runIdx++;
      this.runOff = -1;
    }
  }
}
