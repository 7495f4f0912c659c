import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Assembler } from "./assembler.js";
import { NewReno } from "./congestion.js";
import { RingBuffer } from "./ring-buffer.js";
import { RttEstimator } from "./rtt.js";

describe("RingBuffer", () => {
  it("wraps, and cuts contiguous views at the wrap point", () => {
    const r = new RingBuffer(8);
    expect(r.enqueue(Uint8Array.of(1, 2, 3, 4, 5, 6))).toBe(6);
    r.discard(4);
    expect(r.enqueue(Uint8Array.of(7, 8, 9, 10, 11, 12, 13))).toBe(6); // 2 held + 6 = full
    expect(r.free).toBe(0);
    expect([...r.contiguous(0, 8)]).toEqual([5, 6, 7, 8]); // up to the end of storage
    expect([...r.contiguous(4, 8)]).toEqual([9, 10, 11, 12]);
    const out = new Uint8Array(8);
    expect(r.dequeueInto(out)).toBe(8);
    expect([...out]).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("holds out-of-order bytes past its length until committed, even across an empty read", () => {
    const r = new RingBuffer(8);
    r.enqueue(Uint8Array.of(1, 2));
    expect(r.writeAt(2, Uint8Array.of(5, 6))).toBe(2); // bytes 4 and 5 of the stream
    r.dequeueInto(new Uint8Array(2)); // now empty, out-of-order bytes must stay where they are
    expect(r.writeAt(0, Uint8Array.of(3, 4))).toBe(2);
    r.commit(4);
    const out = new Uint8Array(4);
    r.dequeueInto(out);
    expect([...out]).toEqual([3, 4, 5, 6]);
    expect(r.writeAt(9, Uint8Array.of(1))).toBe(0); // beyond the free space
  });
});

describe("Assembler", () => {
  it("merges ranges and reports the in-order prefix", () => {
    const a = new Assembler(4);
    expect(a.add(10, 5)).toBe(0);
    expect(a.add(20, 5)).toBe(0);
    expect(a.ranges).toEqual([
      [10, 15],
      [20, 25],
    ]);
    expect(a.add(14, 7)).toBe(0); // bridges both
    expect(a.ranges).toEqual([[10, 25]]);
    expect(a.add(0, 10)).toBe(25);
    expect(a.isEmpty).toBe(true);
  });

  it("refuses a new range when full, but never in-order data", () => {
    const a = new Assembler(2);
    a.add(10, 1);
    a.add(20, 1);
    expect(a.add(30, 1)).toBe(-1);
    expect(a.add(0, 5)).toBe(5);
    expect(a.ranges).toEqual([
      [5, 6],
      [15, 16],
    ]);
  });

  it("reassembles any arrival order of any segmentation (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 30 }),
        fc.infiniteStream(fc.nat()),
        (sizes, picks) => {
          const total = sizes.reduce((x, y) => x + y, 0);
          const segs: [number, number][] = [];
          let at = 0;
          for (const n of sizes) {
            segs.push([at, n]);
            at += n;
          }
          const a = new Assembler(64);
          let rcvNxt = 0;
          const it = picks[Symbol.iterator]();
          while (segs.length > 0) {
            const i = (it.next().value as number) % segs.length;
            const [start, n] = segs.splice(i, 1)[0] as [number, number];
            const end = start + n;
            if (end <= rcvNxt) continue;
            const from = Math.max(start, rcvNxt);
            rcvNxt += a.add(from - rcvNxt, end - from);
          }
          expect(rcvNxt).toBe(total);
          expect(a.isEmpty).toBe(true);
        },
      ),
    );
  });
});

describe("RttEstimator (RFC 6298)", () => {
  const opts = { initialRto: 1000, minRto: 200, maxRto: 60_000 };

  it("starts at 1 s, then SRTT + 4·RTTVAR with the 200 ms floor", () => {
    const r = new RttEstimator(opts);
    expect(r.rto).toBe(1000);
    r.addSample(100); // SRTT 100, RTTVAR 50 -> 300
    expect(r.srtt).toBe(100);
    expect(r.rto).toBe(300);
    r.addSample(200); // RTTVAR = .75*50 + .25*100 = 62.5, SRTT = 112.5 -> 362.5
    expect(r.rttvar).toBe(62.5);
    expect(r.srtt).toBe(112.5);
    expect(r.rto).toBe(362.5);
    for (let i = 0; i < 50; i++) r.addSample(1);
    expect(r.rto).toBe(200);
  });

  it("doubles on each expiry up to the ceiling, and a sample undoes the backoff", () => {
    const r = new RttEstimator(opts);
    r.backoff();
    r.backoff();
    expect(r.rto).toBe(4000);
    for (let i = 0; i < 10; i++) r.backoff();
    expect(r.rto).toBe(60_000);
    r.addSample(100);
    expect(r.rto).toBe(300);
  });

  it("Karn: a cancelled sample is never taken", () => {
    const r = new RttEstimator(opts);
    r.startSample(0, 100);
    r.cancelSample();
    r.completeSample(500);
    expect(r.srtt).toBeUndefined();
    r.startSample(0, 100);
    r.startSample(10, 200); // one at a time: ignored
    r.completeSample(40);
    expect(r.srtt).toBe(40);
  });
});

describe("NewReno", () => {
  it("grows by one MSS per ACK in slow start and about one MSS per window after", () => {
    const c = new NewReno(1000, 0);
    expect(c.cwnd).toBe(10_000);
    c.onNewAck(1000, 1000, 0);
    expect(c.cwnd).toBe(11_000);
    c.onNewAck(5000, 6000, 0);
    expect(c.cwnd).toBe(12_000); // at most one MSS per ACK
    c.ssthresh = 12_000;
    for (let i = 0; i < 12; i++) c.onNewAck(1000, 7000 + i * 1000, 0);
    expect(c.cwnd).toBe(13_000);
  });

  it("enters fast recovery on the third dup ACK, inflates, and deflates on a full ACK", () => {
    const c = new NewReno(1000, 0);
    expect(c.onDupAck(5000, 15_000, 10_000)).toBe(false);
    expect(c.onDupAck(5000, 15_000, 10_000)).toBe(false);
    expect(c.onDupAck(5000, 15_000, 10_000)).toBe(true);
    expect(c.ssthresh).toBe(5000);
    expect(c.cwnd).toBe(8000);
    c.onDupAck(5000, 15_000, 10_000);
    expect(c.cwnd).toBe(9000);
    // partial ACK: retransmit again, deflate by 2000 and add one MSS back
    expect(c.onNewAck(2000, 7000, 8000)).toBe(true);
    expect(c.cwnd).toBe(8000);
    expect(c.inRecovery).toBe(true);
    expect(c.onNewAck(8000, 15_000, 0)).toBe(false);
    expect(c.inRecovery).toBe(false);
    expect(c.cwnd).toBe(2000); // min(ssthresh, max(flight, MSS) + MSS)
  });

  it("does not re-enter recovery for dup ACKs below `recover` (RFC 6582 §3.2)", () => {
    const c = new NewReno(1000, 0);
    c.onTimeout(10_000, 20_000);
    expect(c.cwnd).toBe(1000);
    expect(c.ssthresh).toBe(5000);
    for (let i = 0; i < 3; i++) expect(c.onDupAck(15_000, 20_000, 5000)).toBe(false);
    expect(c.inRecovery).toBe(false);
  });
});
