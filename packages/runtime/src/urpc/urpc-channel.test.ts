import { afterEach, describe, expect, it } from "vitest";
import {
  BIG,
  PING,
  Recorder,
  SEQ,
  STR,
  staged,
  TEST_INFO,
  until,
} from "../../test/helpers/test-interface.js";
import type { Channel } from "../channel.js";
import { connectPair, openChannel } from "../connect.js";
import { isShoalError } from "../errors.js";
import {
  CONTROL_WORD,
  CTRL_FIRST,
  CTRL_LAST,
  CTRL_LINE_MASK,
  CTRL_LINE_SHIFT,
  fixedWordAt,
  LINE_WORDS,
} from "../protocol.js";

const open: Channel[] = [];
afterEach(async () => {
  for (const ch of open.splice(0)) await ch.close();
});

function pair(lines?: number): { a: Channel; b: Channel; ra: Recorder; rb: Recorder } {
  const [ea, eb] = connectPair("urpc", lines === undefined ? undefined : { lines });
  const a = openChannel(ea);
  const b = openChannel(eb);
  open.push(a, b);
  const ra = new Recorder();
  const rb = new Recorder();
  a.open(TEST_INFO, ra);
  b.open(TEST_INFO, rb);
  return { a, b, ra, rb };
}

function sendSeq(ch: Channel, i: number): Promise<void> {
  const base = ch.tryLine();
  if (base >= 0) {
    ch.words[base] = i;
    ch.publish(SEQ, 0);
    return Promise.resolve();
  }
  return ch.send(SEQ, 0, Uint32Array.of(i), 1, null, null);
}

describe("urpc ring, both ends in one thread", () => {
  it("reports a receiver that throws as HANDLER_FAILED and goes on delivering", async () => {
    const { a, rb } = pair();
    rb.onMessage = (m) => {
      if (m.words[0] === 1) throw new Error("receiver bug");
    };
    await sendSeq(a, 1);
    await sendSeq(a, 2);
    await until(() => rb.seen.length === 2);
    expect(rb.seen.map((m) => m.words[0])).toEqual([1, 2]);
    expect(rb.faults.map((e) => [e.code, e.message])).toEqual([
      ["HANDLER_FAILED", "test_iface: receiver threw while handling message 6: Error: receiver bug"],
    ]);
  });

  it("delivers one-line messages with payload and token", async () => {
    const { a, rb } = pair();
    const base = a.tryLine();
    expect(base).toBeGreaterThanOrEqual(0);
    a.words[base] = 7;
    a.words[base + 1] = 9;
    a.publish(PING, 42);
    await until(() => rb.seen.length === 1);
    expect(rb.seen[0]).toMatchObject({ num: PING, token: 42 });
    expect(rb.seen[0]?.words.slice(0, 2)).toEqual([7, 9]);
  });

  it("wraps round a 2-line ring many times, in order, none lost or duplicated", async () => {
    const { a, rb } = pair(2);
    const n = 3000;
    const sends: Promise<void>[] = [];
    for (let i = 0; i < n; i++) sends.push(sendSeq(a, i));
    await Promise.all(sends);
    await until(() => rb.seen.length === n, 20_000, "all messages");
    expect(rb.seen.map((s) => s.words[0])).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it("reports a full ring: tryLine -1 and canSend false until the receiver frees lines", async () => {
    const [ea, eb] = connectPair("urpc", { lines: 4 });
    const a = openChannel(ea);
    open.push(a);
    a.open(TEST_INFO, new Recorder());
    // The bind message took one line; three more fill the ring while the peer is not open.
    for (let i = 0; i < 3; i++) {
      expect(a.tryLine()).toBeGreaterThanOrEqual(0);
      a.publish(SEQ, 0);
    }
    expect(a.tryLine()).toBe(-1);
    expect(a.canSend()).toBe(false);
    let sent = false;
    const p = a.send(SEQ, 0, Uint32Array.of(99), 1, null, null).then(() => {
      sent = true;
    });
    const w = a.whenSendable();
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toBe(false);
    const b = openChannel(eb);
    open.push(b);
    const rb = new Recorder();
    b.open(TEST_INFO, rb);
    await Promise.all([p, w]);
    await until(() => rb.seen.length === 4);
    expect(rb.seen.map((s) => s.num)).toEqual([SEQ, SEQ, SEQ, SEQ]);
    expect(rb.seen.at(-1)?.words[0]).toBe(99);
  });

  it("canSend promises room for the interface's longest fixed message, not just one line", async () => {
    const [ea, eb] = connectPair("urpc", { lines: 8 });
    const a = openChannel(ea);
    open.push(a);
    a.open(TEST_INFO, new Recorder());
    // The bind message and five one-line messages leave two free lines: a 3-line `big` would queue.
    for (let i = 0; i < 5; i++) {
      expect(a.tryLine()).toBeGreaterThanOrEqual(0);
      a.publish(SEQ, 0);
    }
    expect(a.tryLine()).toBeGreaterThanOrEqual(0);
    expect(a.canSend()).toBe(false);
    const w = a.whenSendable();
    const b = openChannel(eb);
    open.push(b);
    const rb = new Recorder();
    b.open(TEST_INFO, rb);
    await w;
    expect(a.canSend()).toBe(true);
    let queued = true;
    const big = a.send(BIG, 7, staged(Array.from({ length: 40 }, (_, i) => i)), 40, null, null);
    void big.then(() => {
      queued = false;
    });
    await Promise.resolve();
    expect(queued).toBe(false);
    await until(() => rb.seen.length === 6);
    expect(rb.seen.at(-1)).toMatchObject({ num: BIG, token: 7 });
  });

  it("writes multi-line fixed messages in place (tryLines/publishLines), never across the ring's end", async () => {
    const [ea, eb] = connectPair("urpc", { lines: 8 });
    const a = openChannel(ea);
    const b = openChannel(eb);
    open.push(a, b);
    const rb = new Recorder(40);
    a.open(TEST_INFO, new Recorder());
    b.open(TEST_INFO, rb);
    // The bind message took line 0; seven lines remain before the ring's end.
    const sent: number[][] = [];
    for (let m = 0; m < 40; m++) {
      const base = a.tryLines(3);
      const words = Array.from({ length: 40 }, (_, k) => m * 1000 + k);
      if (base < 0) {
        // No three consecutive free lines right now (full, or the ring's end is closer): the general path.
        await a.send(BIG, m, staged(words), 40, null, null);
      } else {
        words.forEach((v, k) => {
          a.words[base + Math.floor(k / 14) * 16 + (k % 14)] = v;
        });
        a.publishLines(BIG, m, 3);
      }
      sent.push(words);
      if (m % 2 === 1) await sendSeq(a, m);
      await until(() => rb.seen.filter((s) => s.num === BIG).length === m + 1, 5_000, `message ${m}`);
    }
    const big = rb.seen.filter((s) => s.num === BIG);
    expect(big.map((s) => s.token)).toEqual(sent.map((_, m) => m));
    expect(big.map((s) => s.words)).toEqual(sent);
    expect(rb.seen.filter((s) => s.num === SEQ).map((s) => s.words[0])).toEqual(
      Array.from({ length: 20 }, (_, i) => 2 * i + 1),
    );
    expect(rb.faults).toEqual([]);
  });

  it("tryLines refuses a run of lines that would wrap or does not fit", () => {
    const [ea] = connectPair("urpc", { lines: 4 });
    const a = openChannel(ea);
    open.push(a);
    a.open(TEST_INFO, new Recorder());
    // Line 0 holds the bind message: lines 1..3 are free, no four (and the peer never reads).
    expect(a.tryLines(4)).toBe(-1);
    expect(a.tryLines(3)).toBeGreaterThanOrEqual(0);
    a.publishLines(BIG, 1, 3);
    expect(a.tryLines(2)).toBe(-1);
    expect(a.tryLine()).toBe(-1);
  });

  it("keeps whenSendable waiters alive while queued multi-line sends drain (flow-controlled sender)", async () => {
    const { a, rb } = pair(8);
    const words = staged(Array.from({ length: 40 }, (_, i) => i));
    const n = 20_000;
    let last: Promise<void> = Promise.resolve();
    for (let sent = 0; sent < n; ) {
      if (!a.canSend()) {
        await a.whenSendable();
        continue;
      }
      last = a.send(BIG, sent, words, 40, null, null);
      sent++;
      if (sent % 16 === 0) await last;
    }
    await last;
    await until(() => rb.seen.length === n, 20_000, "all multi-line messages");
    expect(rb.seen.at(-1)?.token).toBe(n - 1);
  });

  it("streams a message longer than the ring through it (2 KiB string over 4 lines)", async () => {
    const { a, rb } = pair(4);
    const text = new Uint8Array(2048).map((_, i) => (i * 7 + 3) & 0xff);
    await a.send(STR, 5, Uint32Array.of(77), 1, [text], null);
    await until(() => rb.seen.length === 1);
    expect(rb.seen[0]?.words[0]).toBe(77);
    expect(rb.seen[0]?.runs[0]).toEqual(text);
    expect(rb.seen[0]?.token).toBe(5);
  });

  it("carries overflow runs of every length edge, aligned or not, byte for byte", async () => {
    const { a, rb } = pair(4);
    const lengths = [0, 1, 3, 4, 5, 51, 52, 53, 55, 56, 57, 107, 108, 109, 111, 2047, 2048];
    const sent: Uint8Array[] = [];
    for (const [k, len] of lengths.entries()) {
      const backing = Uint8Array.from({ length: len + 1 }, (_, i) => (i * 13 + k) & 0xff);
      // Odd k: a view at byte offset 1 (not word-aligned); even k: an aligned array.
      const run = k % 2 === 1 ? backing.subarray(1) : backing.slice(0, len);
      sent.push(run.slice());
      await a.send(STR, k, Uint32Array.of(k), 1, [run], null);
    }
    await until(() => rb.seen.length === lengths.length);
    for (const [k] of lengths.entries()) expect(rb.seen[k]?.runs[0]).toEqual(sent[k]);
  });

  it("carries multi-line fixed payloads and interleaves them with one-line messages", async () => {
    const { a, rb } = pair(8);
    const words = staged(Array.from({ length: 40 }, (_, i) => i * 3 + 1));
    const ps = [];
    for (let k = 0; k < 50; k++) {
      ps.push(a.send(BIG, k, words, 40, null, null));
      ps.push(sendSeq(a, k));
    }
    await Promise.all(ps);
    await until(() => rb.seen.length === 100);
    for (let k = 0; k < 50; k++) {
      expect(rb.seen[2 * k]).toMatchObject({ num: BIG, token: k });
      expect(rb.seen[2 * k + 1]).toMatchObject({ num: SEQ });
      expect(rb.seen[2 * k + 1]?.words[0]).toBe(k);
    }
  });

  it("reports corrupt lines as BAD_MESSAGE and goes on", async () => {
    const { a, rb } = pair(8);
    // An unknown message number.
    a.tryLine();
    a.publish(999, 0);
    // A continuation line outside any message: publish, then strip FIRST before the consumer runs
    // (same thread, so the dispatcher cannot look in between).
    const base = a.tryLine();
    a.publish(SEQ, 0);
    a.words[base + CONTROL_WORD] = ((a.words[base + CONTROL_WORD] as number) & ~CTRL_FIRST) >>> 0;
    // An overflow run longer than its bound.
    const b2 = a.tryLine();
    a.publish(SEQ, 0);
    a.words[b2 + CONTROL_WORD] = ((a.words[b2 + CONTROL_WORD] as number) & ~CTRL_LAST & ~0xffff) | STR;
    a.words[b2 + CONTROL_WORD] = (a.words[b2 + CONTROL_WORD] as number) >>> 0;
    await sendSeq(a, 5);
    await until(() => rb.seen.length === 1 && rb.faults.length >= 3);
    expect(rb.faults.every((f) => isShoalError(f, "BAD_MESSAGE"))).toBe(true);
    expect(rb.seen[0]?.words[0]).toBe(5);
  });

  it("drops a several-line message with a bad middle line (in-place path) as BAD_MESSAGE and goes on", async () => {
    const { a, rb } = pair(16);
    // A 3-line BIG message written in place, then its middle line's counter broken before the consumer
    // runs (same thread): the in-place check refuses it, the assembler reports it.
    const base = a.tryLines(3);
    expect(base).toBeGreaterThanOrEqual(0);
    a.publishLines(BIG, 1, 3);
    const mid = base + LINE_WORDS + CONTROL_WORD;
    a.words[mid] = ((a.words[mid] as number) & ~(CTRL_LINE_MASK << CTRL_LINE_SHIFT)) >>> 0;
    // A good one after it is delivered whole.
    const good = a.tryLines(3);
    const words = Array.from({ length: 40 }, (_, k) => 500 + k);
    words.forEach((v, k) => {
      a.words[good + fixedWordAt(k)] = v;
    });
    a.publishLines(BIG, 2, 3);
    await until(() => rb.seen.length === 1 && rb.faults.length >= 1);
    expect(rb.faults.every((f) => isShoalError(f, "BAD_MESSAGE"))).toBe(true);
    expect(rb.seen[0]).toMatchObject({ num: BIG, token: 2 });
    expect(rb.seen[0]?.words.slice(0, 14)).toEqual(words.slice(0, 14));
  });

  it("rejects sends past the send queue bound with TX_BUSY", async () => {
    const [ea] = connectPair("urpc", { lines: 2, sendQueue: 3 });
    const a = openChannel(ea);
    open.push(a);
    a.open(TEST_INFO, new Recorder());
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        Promise.race([a.send(SEQ, 0, Uint32Array.of(i), 1, null, null), Promise.resolve("pending")]),
      ),
    );
    expect(results.some((r) => r.status === "rejected" && isShoalError(r.reason, "TX_BUSY"))).toBe(true);
    await a.close();
  });

  it("close fails the peer's pending sends with CLOSED", async () => {
    const [ea, eb] = connectPair("urpc", { lines: 2 });
    const a = openChannel(ea);
    const b = openChannel(eb);
    open.push(a, b);
    const ra = new Recorder();
    a.open(TEST_INFO, ra);
    // b is bound but never opened, so a's ring fills and its sends queue.
    const pending = [1, 2, 3, 4].map((i) => a.send(SEQ, 0, Uint32Array.of(i), 1, null, null));
    const outcome = Promise.allSettled(pending);
    await b.close();
    const results = await outcome;
    expect(results.some((r) => r.status === "rejected" && isShoalError(r.reason, "CLOSED"))).toBe(true);
    await until(() => ra.closedWith !== null);
    expect(ra.closedWith?.code).toBe("CLOSED");
  });

  it("fails both ends with BIND_MISMATCH naming both fingerprints", async () => {
    const [ea, eb] = connectPair("urpc");
    const a = openChannel(ea);
    const b = openChannel(eb);
    open.push(a, b);
    const ra = new Recorder();
    const rb = new Recorder();
    a.open(TEST_INFO, ra);
    b.open({ ...TEST_INFO, fingerprint: "ffffffffffffffffffffffffffffffff" }, rb);
    await until(() => ra.closedWith !== null && rb.closedWith !== null);
    expect(ra.closedWith?.code).toBe("BIND_MISMATCH");
    expect(ra.closedWith?.message).toContain("ffffffffffffffffffffffffffffffff");
    expect(ra.closedWith?.message).toContain(TEST_INFO.fingerprint);
    expect(rb.closedWith?.code).toBe("BIND_MISMATCH");
  });

  it("refuses to bind an endpoint twice", () => {
    const [ea] = connectPair("urpc");
    open.push(openChannel(ea));
    expect(() => openChannel(ea)).toThrow(expect.objectContaining({ code: "BAD_ENDPOINT" }));
  });

  it("runs a ping-pong with replies sent from the handler", async () => {
    const { a, b, ra, rb } = pair();
    rb.onMessage = (s) => {
      const base = b.tryLine();
      if (base >= 0) {
        b.words[base] = (s.words[0] ?? 0) + 1;
        b.publish(PING, 0);
      } else void b.send(PING, 0, Uint32Array.of((s.words[0] ?? 0) + 1), 2, null, null);
    };
    let last = -1;
    ra.onMessage = (s) => {
      last = s.words[0] ?? -1;
      if (last < 2000) void sendOne(last + 1);
    };
    const sendOne = (v: number): Promise<void> => a.send(PING, 0, Uint32Array.of(v, 0), 2, null, null);
    await sendOne(0);
    await until(() => last >= 2000, 20_000, "2000 round trips");
    expect(ra.seen.length).toBe(1001);
  });
});
