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

  /** The current run's whole words, when it is word-aligned. */
  private runWords: Uint32Array | null = null;

  /** Copies run bytes [off, off + n) to ring word `at` (`off` is a multiple of 4). */
  private copy(
    run: Uint8Array,
    off: number,
    n: number,
    words: Uint32Array,
    bytes: Uint8Array,
    at: number,
  ): void {
    const rw = this.runWords;
    if (rw === null) {
      bytes.set(run.subarray(off, off + n), at * 4);
      return;
    }
    const from = off >> 2;
    const whole = Math.min(n >> 2, rw.length - from);
    for (let i = 0; i < whole; i++) words[at + i] = rw[from + i] as number;
    // The tail (fewer than 4 bytes at the very end of the run) goes byte by byte.
    for (let k = whole * 4; k < n; k++) bytes[at * 4 + k] = run[off + k] as number;
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
      // Word-aligned runs copy word by word (their whole words through a Uint32Array view).
      this.runWords =
        (run.byteOffset & 3) === 0 ? new Uint32Array(run.buffer, run.byteOffset, run.length >> 2) : null;
      const n = Math.min(run.length, RUN_FIRST_LINE_BYTES);
      this.copy(run, 0, n, words, bytes, b + 1);
      this.runOff = n;
    } else {
      const n = Math.min(run.length - this.runOff, RUN_LINE_BYTES);
      this.copy(run, this.runOff, n, words, bytes, b);
      this.runOff += n;
    }
    if (this.runOff >= run.length) {
      this.runIdx++;
      this.runOff = -1;
    }
  }
}
