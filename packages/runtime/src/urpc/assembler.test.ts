// The assembler reads lines from ring memory the peer can still write. Each word it takes must be read
// exactly once (copied, then checked, then used), or a peer that rewrites a word between the check and
// the use passes a value that was never checked (a run length above its bound or the receive budget).
import { describe, expect, it } from "vitest";
import {
  CONTROL_WORD,
  CTRL_FIRST,
  CTRL_LAST,
  CTRL_LINE_SHIFT,
  LINE_WORDS,
  RUN_FIRST_LINE_BYTES,
  TOKEN_WORD,
} from "../protocol.js";
import { Assembler, type MessageShape } from "./assembler.js";

/** Words that count their reads; a second read of a word returns another value than the first. */
function countingWords(backing: Uint32Array): { words: Uint32Array; reads: Map<number, number> } {
  const reads = new Map<number, number>();
  const words = new Proxy(backing, {
    get(target, key) {
      if (typeof key === "string" && /^\d+$/.test(key)) {
        const i = Number(key);
        const n = (reads.get(i) ?? 0) + 1;
        reads.set(i, n);
        // The peer's rewrite: a length that is far over every bound and budget.
        return n === 1 ? target[i] : 0xfffffff0;
      }
      return Reflect.get(target, key, target);
    },
  });
  return { words, reads };
}

const NUM = 5;
const SHAPE: MessageShape = { lines: 2, overflow: [200] };
const RUN = 100;

describe("Assembler", () => {
  it("reads every word of a several-line message with a run exactly once", () => {
    const backing = new Uint32Array(LINE_WORDS * 4);
    const controls: number[] = [];
    const put = (k: number, control: number, payload: (i: number) => number): void => {
      for (let i = 0; i < TOKEN_WORD; i++) backing[k * LINE_WORDS + i] = payload(i);
      backing[k * LINE_WORDS + TOKEN_WORD] = 77;
      controls.push(control | (k << CTRL_LINE_SHIFT) | NUM);
    };
    put(0, CTRL_FIRST, (i) => 1000 + i);
    put(1, 0, (i) => 2000 + i);
    // The run: its length, then its bytes 0, 1, 2 ... (mod 256) over this line and the next.
    const byte = (n: number): number => n & 0xff;
    const word = (at: number): number =>
      (byte(at) | (byte(at + 1) << 8) | (byte(at + 2) << 16) | (byte(at + 3) << 24)) >>> 0;
    put(2, 0, (i) => (i === 0 ? RUN : word((i - 1) * 4)));
    put(3, CTRL_LAST, (i) => word(RUN_FIRST_LINE_BYTES + i * 4));
    const { words, reads } = countingWords(backing);
    const got: { token: number; fixed: number[]; runs: Uint8Array[] }[] = [];
    const faults: string[] = [];
    const asm = new Assembler(words, {
      shape: (num) => (num === NUM ? SHAPE : null),
      message: (_num, token, w, b, runs) => {
        got.push({ token, fixed: Array.from(w.subarray(b, b + 2 * LINE_WORDS)), runs: [...runs] });
      },
      bad: (reason) => faults.push(reason),
    });
    controls.forEach((c, k) => {
      asm.line(c, k * LINE_WORDS);
    });
    expect(faults).toEqual([]);
    for (const [index, n] of reads) {
      expect(index % LINE_WORDS, `word ${index} is a control word`).not.toBe(CONTROL_WORD);
      expect(n, `word ${index}`).toBe(1);
    }
    expect(got).toHaveLength(1);
    const m = got[0];
    expect(m?.token).toBe(77);
    expect(m?.fixed.slice(0, 14)).toEqual(Array.from({ length: 14 }, (_, i) => 1000 + i));
    expect(m?.fixed.slice(16, 30)).toEqual(Array.from({ length: 14 }, (_, i) => 2000 + i));
    expect(m?.runs).toHaveLength(1);
    expect(Array.from(m?.runs[0] ?? [])).toEqual(Array.from({ length: RUN }, (_, i) => byte(i)));
  });
});
