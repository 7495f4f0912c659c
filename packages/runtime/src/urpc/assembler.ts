/**
 * The receiving half of urpc framing: turns the stream of lines read from a ring into whole messages.
 * A one-line message is handed over straight from the ring (no copy); a longer one is gathered into a
 * scratch buffer (fixed words) and fresh byte arrays (overflow runs) as its lines arrive, so a message
 * longer than the ring streams through it while the consumer index frees lines behind it.
 *
 * Every line is checked against the layout the interface promises (line counter, FIRST/LAST flags,
 * fixed line count, each run's length against its bound). A line that does not fit is reported once as
 * BAD_MESSAGE and the assembler skips to the next message start: a corrupt line never crashes and never
 * desynchronizes the stream for longer than one message.
 */

import { runPool } from "../core/run-pool.js";
import {
  CTRL_CAPS,
  CTRL_FIRST,
  CTRL_LAST,
  CTRL_LINE_MASK,
  CTRL_LINE_SHIFT,
  CTRL_MSGNUM_MASK,
  LINE_WORDS,
  PAYLOAD_WORDS,
  RUN_FIRST_LINE_BYTES,
  RUN_LINE_BYTES,
  TOKEN_WORD,
} from "../protocol.js";

/** The shape of one message number, as the receiver expects it. */
export interface MessageShape {
  /** Lines of fixed words. */
  readonly lines: number;
  /** Bound in bytes of each overflow run. */
  readonly overflow: readonly number[];
}

/** Where the assembler delivers. */
export interface AssemblerHost {
  /** Looks up the expected shape of a message number; null when it is unknown. */
  shape(num: number): MessageShape | null;
  /** A whole message: fixed words `w[b ..]`, overflow runs, and whether it carries caps out of band. */
  message(
    num: number,
    token: number,
    w: Uint32Array,
    b: number,
    runs: readonly Uint8Array[],
    caps: boolean,
  ): void;
  /** A line or message that does not fit the layout (already dropped). */
  bad(reason: string): void;
}

const NO_RUNS: readonly Uint8Array[] = Object.freeze([]);

/** Gathers lines into messages for one ring. */
export class Assembler {
  private readonly words: Uint32Array;
  private readonly host: AssemblerHost;
  private active = false;
  private skipping = false;
  private num = 0;
  private token = 0;
  private caps = false;
  private lineNo = 0;
  private shape: MessageShape = { lines: 0, overflow: [] };
  private fixedLines = 0;
  /** Fixed words of the message being gathered, in line layout (as the stubs decode them). */
  private stage = new Uint32Array(LINE_WORDS * 4);
  private runs: Uint8Array[] = [];
  private run: Uint8Array = new Uint8Array(0);
  private runWords: Uint32Array = new Uint32Array(0);
  /** Word index in {@link runWords} where the current run starts. */
  private runBase = 0;
  private runOff = -1;

  constructor(words: Uint32Array, host: AssemblerHost) {
    this.words = words;
    this.host = host;
  }

  /** True between messages (not gathering one, not skipping a bad one): the channel's fast path may run. */
  get idle(): boolean {
    return !this.active && !this.skipping;
  }

  /** Consumes the line at word index `b` whose control word is `c`. The line is valid during the call. */
  line(c: number, b: number): void {
    const first = (c & CTRL_FIRST) !== 0;
    const last = (c & CTRL_LAST) !== 0;
    if (this.skipping) {
      if (!first) {
        if (last) this.skipping = false;
        return;
      }
      this.skipping = false;
    }
    if (this.active && first) {
      // The unfinished message is lost; the new one is taken as it comes.
      this.active = false;
      this.host.bad(`message ${this.num} was cut short by the start of another message`);
    }
    if (!this.active) {
      if (!first) {
        this.fail("a continuation line arrived outside any message", last);
        return;
      }
      const num = c & CTRL_MSGNUM_MASK;
      const shape = this.host.shape(num);
      if (shape === null) {
        this.fail(`unknown message number ${num}`, last);
        return;
      }
      let fixed = shape.lines;
      if (fixed === 0 && shape.overflow.length === 0) fixed = 1;
      if ((c >>> CTRL_LINE_SHIFT) & CTRL_LINE_MASK) {
        this.fail(`message ${num} starts at line ${(c >>> CTRL_LINE_SHIFT) & CTRL_LINE_MASK}`, last);
        return;
      }
      const caps = (c & CTRL_CAPS) !== 0;
      if (fixed === 1 && shape.overflow.length === 0) {
        // The common case: decoded straight from the ring, no copy.
        if (!last) {
          this.fail(`one-line message ${num} has no last-line flag`, last);
          return;
        }
        this.host.message(num, this.words[b + TOKEN_WORD] as number, this.words, b, NO_RUNS, caps);
        return;
      }
      this.active = true;
      this.num = num;
      this.token = this.words[b + TOKEN_WORD] as number;
      this.caps = caps;
      this.shape = shape;
      this.fixedLines = fixed;
      this.lineNo = 0;
      this.runs = [];
      this.runOff = -1;
      if (this.stage.length < fixed * LINE_WORDS) this.stage = new Uint32Array(fixed * LINE_WORDS);
    } else if (((c >>> CTRL_LINE_SHIFT) & CTRL_LINE_MASK) !== (this.lineNo & CTRL_LINE_MASK)) {
      this.fail(`message ${this.num}: line ${this.lineNo} arrived out of order`, last);
      return;
    }
    if (this.lineNo < this.fixedLines) {
      const at = this.lineNo * LINE_WORDS;
      for (let i = 0; i < PAYLOAD_WORDS; i++) this.stage[at + i] = this.words[b + i] as number;
    } else if (!this.runLine(b, last)) {
      return;
    }
    this.lineNo++;
    const done =
      this.lineNo >= this.fixedLines && this.runs.length === this.shape.overflow.length && this.runOff < 0;
    if (done !== last) {
      this.fail(
        `message ${this.num}: ${done ? "ended without" : "has"} a last-line flag at line ${this.lineNo - 1}`,
        last,
      );
      return;
    }
    if (done) {
      this.active = false;
      this.host.message(this.num, this.token, this.stage, 0, this.runs, this.caps);
    }
  }

  /** Copies one line of an overflow run; false when the run is malformed (already reported). */
  private runLine(b: number, last: boolean): boolean {
    if (this.runOff < 0) {
      const index = this.runs.length;
      const bound = this.shape.overflow[index];
      if (bound === undefined) {
        this.fail(
          `message ${this.num}: more lines than its ${this.fixedLines} fixed lines and ${index} runs`,
          last,
        );
        return false;
      }
      const len = this.words[b] as number;
      if (len > bound) {
        this.fail(
          `message ${this.num}: overflow run ${index} of ${len} bytes exceeds its bound of ${bound}`,
          last,
        );
        return false;
      }
      // Pooled memory, whole words (rounded up), so lines copy word by word; the view shows `len` bytes.
      const space = runPool.take(len);
      this.run = space.bytes;
      this.runWords = space.words;
      this.runBase = space.word;
      this.runs.push(this.run);
      const n = Math.min(len, RUN_FIRST_LINE_BYTES);
      this.copyWords(b + 1, 0, n);
      this.runOff = n;
    } else {
      const n = Math.min(this.run.length - this.runOff, RUN_LINE_BYTES);
      this.copyWords(b, this.runOff, n);
      this.runOff += n;
    }
    if (this.runOff >= this.run.length) this.runOff = -1;
    return true;
  }

  /** Copies `n` bytes from ring word `from` to byte offset `off` (a multiple of 4) of the current run. */
  private copyWords(from: number, off: number, n: number): void {
    const rw = this.runWords;
    const w = this.words;
    const to = this.runBase + (off >> 2);
    const count = (n + 3) >> 2;
    for (let i = 0; i < count; i++) rw[to + i] = w[from + i] as number;
  }

  /** Drops the current message, reports why, and skips to the next message start unless `last`. */
  private fail(reason: string, last: boolean): void {
    this.active = false;
    this.skipping = !last;
    this.host.bad(reason);
  }
}
