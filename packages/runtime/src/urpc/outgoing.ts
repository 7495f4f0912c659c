/**
 * The sending half of urpc framing for messages that do not take the one-line fast path: a message is
 * a sequence of lines (its fixed words, then each overflow run: a length word and the bytes), written
 * into the ring as lines become free. An {@link Outgoing} remembers how far it got, so a message longer
 * than the ring streams through it as the receiver frees lines.
 */
import type { ShoalError } from "../errors.js";
import {
  LINE_WORDS,
  PAYLOAD_WORDS,
  RUN_FIRST_LINE_BYTES,
  RUN_LINE_BYTES,
  runLines,
  stagedLength,
} from "../protocol.js";

/** One message on its way into the ring. */
export class Outgoing {
  readonly num: number;
  readonly token: number;
  readonly caps: boolean;
  /** The staged fixed words in line layout (the caller's until {@link own} copies them). */
  fixed: Uint32Array;
  /** How many fixed words there are. */
  readonly fixedWords: number;
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
    fixedWords: number,
    fixedLines: number,
    runs: readonly Uint8Array[],
    caps: boolean,
  ) {
    this.num = num;
    this.token = token;
    this.fixed = fixed;
    this.fixedWords = fixedWords;
    this.caps = caps;
    let lines = fixedLines === 0 && runs.length === 0 ? 1 : fixedLines;
    this.fixedLines = lines;
    for (const r of runs) lines += runLines(r.length);
    this.total = lines;
    this.runs = runs;
  }

  /** Copies the staged words and the overflow runs: the message outlives the `send` call that passed them in. */
  own(): void {
    this.fixed = this.fixed.slice(0, stagedLength(this.fixedWords));
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
      // Line k of the staged words (line layout): as many of its 14 words as the message has, then zeros.
      const n = Math.max(0, Math.min(PAYLOAD_WORDS, this.fixedWords - k * PAYLOAD_WORDS));
      const off = k * LINE_WORDS;
      if (n > 0) words.set(this.fixed.subarray(off, off + n), b);
      if (n < PAYLOAD_WORDS) words.fill(0, b + n, b + PAYLOAD_WORDS);
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
