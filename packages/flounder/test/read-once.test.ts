/**
 * A urpc receiver decodes one-line (and whole fixed several-line) messages in place, from ring memory the
 * peer can still write. That is safe only if every received word is read exactly once: then the value
 * checked is the value used, and a peer rewriting a word between a check and a use has nothing to race.
 * This feeds every message of every corpus interface a word array that counts each read and returns a
 * different value every time a word is read again, and requires at most one read per word.
 */
import { CapRef, type Channel, type InterfaceInfo, type Receiver } from "@shoal/runtime";
import { describe, expect, it } from "vitest";
import {
  CORPUS_DIR,
  INTERFACES_DIR,
  importBinding,
  interfaceFiles,
  loadModels,
  scratchDir,
  writeStubs,
} from "./support/corpus.js";

/** A channel that only captures the receiver the binding opens it with. */
function capturingChannel(): { channel: Channel; receiver: () => Receiver; info: () => InterfaceInfo } {
  let rx: Receiver | undefined;
  let info: InterfaceInfo | undefined;
  const channel = {
    transport: "urpc",
    closed: false,
    words: new Uint32Array(0),
    open(i: InterfaceInfo, r: Receiver) {
      info = i;
      rx = r;
    },
    canSend: () => true,
  } as unknown as Channel;
  return {
    channel,
    receiver: () => rx as Receiver,
    info: () => info as InterfaceInfo,
  };
}

/** Words that count their reads; a second read of a word returns another value than the first. */
function countingWords(length: number): { words: Uint32Array; reads: Map<number, number> } {
  const backing = new Uint32Array(length);
  const reads = new Map<number, number>();
  const words = new Proxy(backing, {
    get(target, key) {
      if (typeof key === "string" && /^\d+$/.test(key)) {
        const i = Number(key);
        const n = (reads.get(i) ?? 0) + 1;
        reads.set(i, n);
        return n === 1 ? target[i] : (target[i] as number) ^ 0xdeadbeef;
      }
      return Reflect.get(target, key, target);
    },
  });
  return { words, reads };
}

describe("in-place decoding reads every received word once", () => {
  it.each([
    ["corpus", CORPUS_DIR],
    ["interfaces", INTERFACES_DIR],
  ])("every message of the %s", async (label, dir) => {
    const models = await loadModels(interfaceFiles(dir));
    const paths = writeStubs(models, scratchDir(`read-once-${label}`));
    let messages = 0;
    for (const model of models) {
      const cls = await importBinding(paths.get(model.name) ?? "", model.name);
      const cap = capturingChannel();
      cls.bindChannel(cap.channel, { onError: () => {} });
      const rx = cap.receiver();
      cap.info().messages.forEach((m, i) => {
        const { words, reads } = countingWords(16 * Math.max(1, m.lines) + 16);
        const ovf = m.overflow.map(() => new Uint8Array(0));
        const caps = Array.from({ length: m.caps }, () => new CapRef("c"));
        rx.onWords(3 + i, 0, words, 0, ovf, caps);
        for (const [index, n] of reads) expect(n, `${model.name}.${m.name} word ${index}`).toBe(1);
        messages++;
      });
    }
    expect(messages).toBeGreaterThan(label === "corpus" ? 300 : 5);
  });
});
