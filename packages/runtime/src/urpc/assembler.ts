/** Bound of the trailing run a message with caps carries (the kernel's record of its caps). */
export const CAP_RECORD_BYTES = 16384;

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

import { OWN_BUFFER_BYTES, runPool } from "../core/run-pool.js";
import { DEFAULT_RECEIVE_BUDGET } from "../options.js";
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

/** Bytes a large run starts with; it grows (doubling) as its lines arrive, up to its claimed length. */
const FIRST_GROWABLE_BYTES = 16 * 1024;

/** What an assembler has held, for tests and `receiveStats()`. */
export interface AssemblerStats {
  /** Bytes of runs held by the message in assembly now (allocated, not claimed). */
  heldBytes: number;
  /** The most bytes ever held at once. */
  peakHeldBytes: number;
  /** Lines or messages dropped as malformed. */
  dropped: number;
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
  /** Claimed length of the current run (its `run` may still be shorter: it grows as lines arrive). */
  private runLen = 0;
  /**
   * The receive budget: the most bytes of strings and arrays one message in assembly may hold. A run's
   * length word is the peer's claim; nothing is allocated beyond the budget, and only as bytes arrive.
   */
  private readonly budget: number;
  /** Claimed bytes of the runs of the message in assembly (checked against the budget up front). */
  private claimed = 0;
  readonly stats: AssemblerStats = { heldBytes: 0, peakHeldBytes: 0, dropped: 0 };

  constructor(words: Uint32Array, host: AssemblerHost, budget = DEFAULT_RECEIVE_BUDGET) {
    this.words = words;
    this.host = host;
    this.budget = budget;
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
      if (fixed === 1 && shape.overflow.length === 0 && !caps) {
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
      this.claimed = 0;
      this.stats.heldBytes = 0;
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
      this.lineNo >= this.fixedLines &&
      this.runs.length === this.shape.overflow.length + (this.caps ? 1 : 0) &&
      this.runOff < 0;
    if (done !== last) {
      this.fail(
        `message ${this.num}: ${done ? "ended without" : "has"} a last-line flag at line ${this.lineNo - 1}`,
        last,
      );
      return;
    }
    if (done) {
      this.active = false;
      const runs = this.runs;
      this.runs = [];
      this.claimed = 0;
      this.stats.heldBytes = 0;
      this.host.message(this.num, this.token, this.stage, 0, runs, this.caps);
    }
  }

  /** Copies one line of an overflow run; false when the run is malformed (already reported). */
  private runLine(b: number, last: boolean): boolean {
    if (this.runOff < 0) {
      const index = this.runs.length;
      // A message with caps ends in one more run: the sending kernel's record of them.
      const bound =
        this.caps && index === this.shape.overflow.length ? CAP_RECORD_BYTES : this.shape.overflow[index];
      if (bound === undefined) {
        this.fail(
          `message ${this.num}: more lines than its ${this.fixedLines} fixed lines and ${index} runs`,
          last,
        );
        return false;
      }
      // Read once: the peer may rewrite the ring word, so only this copy is checked and used. It is a
      // uint32 (up to 2^32 - 1) and is compared before any arithmetic, so nothing below can overflow.
      const len = this.words[b] as number;
      if (len > bound) {
        this.fail(
          `message ${this.num}: overflow run ${index} of ${len} bytes exceeds its bound of ${bound}`,
          last,
        );
        return false;
      }
      if (len > this.budget - this.claimed) {
        this.fail(
          `message ${this.num}: overflow run ${index} of ${len} bytes exceeds the channel's receive budget ` +
            `(${this.budget} bytes a message, ${this.claimed} already taken)`,
          last,
        );
        return false;
      }
      this.claimed += len;
      this.runLen = len;
      if (len < OWN_BUFFER_BYTES) {
        // Pooled memory, whole words (rounded up), so lines copy word by word; the view shows `len` bytes.
        const space = runPool.take(len);
        this.run = space.bytes;
        this.runWords = space.words;
        this.runBase = space.word;
        this.hold(len);
      } else {
        // A large claim gets memory as its bytes arrive: one line claiming gigabytes costs 16 KiB.
        this.setRunBuffer(new ArrayBuffer(Math.min(padWords(len), FIRST_GROWABLE_BYTES)), len);
      }
      this.runs.push(this.run);
      const n = Math.min(len, RUN_FIRST_LINE_BYTES);
      this.copyWords(b + 1, 0, n);
      this.runOff = n;
    } else {
      const n = Math.min(this.runLen - this.runOff, RUN_LINE_BYTES);
      if (this.runOff + n > this.runWords.byteLength - this.runBase * 4) this.growRun(this.runOff + n);
      this.copyWords(b, this.runOff, n);
      this.runOff += n;
    }
    if (this.runOff >= this.runLen) {
      this.runOff = -1;
      // The run is complete: hand over a view of exactly its bytes.
      if (this.run.length !== this.runLen) this.run = new Uint8Array(this.run.buffer, 0, this.runLen);
      this.runs[this.runs.length - 1] = this.run;
    }
    return true;
  }

  /** Makes `buffer` the current run's memory (a large run: its own buffer, starting at word 0). */
  private setRunBuffer(buffer: ArrayBuffer, len: number): void {
    this.runWords = new Uint32Array(buffer);
    this.runBase = 0;
    this.run = new Uint8Array(buffer, 0, Math.min(len, buffer.byteLength));
    this.hold(buffer.byteLength);
  }

  /** Grows the current (large) run's buffer to hold at least `bytes`: doubling, never past its length. */
  private growRun(bytes: number): void {
    const old = this.runWords;
    const size = Math.min(padWords(this.runLen), Math.max(old.byteLength * 2, padWords(bytes)));
    const next = new Uint32Array(size / 4);
    next.set(old);
    this.stats.heldBytes -= old.byteLength;
    this.setRunBuffer(next.buffer, this.runLen);
  }

  private hold(bytes: number): void {
    const st = this.stats;
    st.heldBytes += bytes;
    if (st.heldBytes > st.peakHeldBytes) st.peakHeldBytes = st.heldBytes;
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
    this.runs = [];
    this.runOff = -1;
    this.claimed = 0;
    this.stats.heldBytes = 0;
    this.stats.dropped++;
    this.host.bad(reason);
  }
}

/** `len` rounded up to whole 8-byte units, without int32 overflow (len may be up to 2^32 - 1). */
function padWords(len: number): number {
  return Math.ceil(len / 8) * 8;
}
