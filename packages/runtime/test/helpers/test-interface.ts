/**
 * A hand-written stand-in for a generated binding, so the runtime is tested without the stub compiler:
 * a small interface description and a Receiver that records what arrives.
 */
import {
  type CapRef,
  fixedWordAt,
  type InterfaceInfo,
  type Receiver,
  type ShoalError,
  stagedLength,
} from "../../src/index.js";

/** Message numbers of the test interface. */
export const PING = 3;
export const STR = 4;
export const BIG = 5;
export const SEQ = 6;

/** ping(uint64) · str(uint32, String s[2048]) · big(40 words) · seq(uint32). */
export const TEST_INFO: InterfaceInfo = {
  name: "test_iface",
  fingerprint: "0123456789abcdef0123456789abcdef",
  messages: [
    { name: "ping", lines: 1, words: 2, overflow: [], caps: 0 },
    { name: "str", lines: 1, words: 1, overflow: [2048], caps: 0 },
    { name: "big", lines: 3, words: 40, overflow: [], caps: 0 },
    { name: "seq", lines: 1, words: 1, overflow: [], caps: 0 },
  ],
};

/** `words` in line layout, as a binding stages fixed words for `Channel.send`. */
export function staged(words: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(stagedLength(words.length));
  for (let k = 0; k < words.length; k++) out[fixedWordAt(k)] = words[k] as number;
  return out;
}

/** What a recording receiver saw. */
export interface Seen {
  readonly num: number;
  readonly token: number;
  readonly words: number[];
  readonly runs: Uint8Array[];
  readonly caps: readonly CapRef[];
  readonly values: readonly unknown[] | null;
}

/** A receiver that records everything, with hooks for replies. */
export class Recorder implements Receiver {
  readonly seen: Seen[] = [];
  readonly faults: ShoalError[] = [];
  readonly rpcErrors: { token: number; error: ShoalError }[] = [];
  closedWith: ShoalError | null = null;
  onMessage: ((s: Seen) => void) | null = null;
  private readonly wordsToKeep: number;

  constructor(wordsToKeep = 14) {
    this.wordsToKeep = wordsToKeep;
  }

  onWords(
    num: number,
    token: number,
    w: Uint32Array,
    b: number,
    ovf: readonly Uint8Array[],
    caps: readonly CapRef[],
  ): void {
    // Fixed words are in line layout (word k at b + fixedWordAt(k)).
    const words = Array.from({ length: this.wordsToKeep }, (_, k) => w[b + fixedWordAt(k)] as number);
    const s: Seen = { num, token, words, runs: ovf.map((r) => r.slice()), caps, values: null };
    this.seen.push(s);
    this.onMessage?.(s);
  }
  onValues(num: number, token: number, args: readonly unknown[]): void {
    const s: Seen = { num, token, words: [], runs: [], caps: [], values: args };
    this.seen.push(s);
    this.onMessage?.(s);
  }
  onRpcError(token: number, error: ShoalError): void {
    this.rpcErrors.push({ token, error });
  }
  onFault(error: ShoalError): void {
    this.faults.push(error);
  }
  onClose(error: ShoalError): void {
    this.closedWith ??= error;
  }
}

/** Resolves when `cond()` holds; rejects after `timeoutMs` (every wait in a test has a timeout). */
export async function until(cond: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
