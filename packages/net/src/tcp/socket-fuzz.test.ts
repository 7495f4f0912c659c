import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  LOCAL_SEQ,
  REMOTE_SEQ,
  recv,
  seg,
  send,
  socketCloseWait,
  socketClosing,
  socketEstablished,
  socketFinWait1,
  socketFinWait2,
  socketLastAck,
  socketListen,
  socketSynReceived,
  socketSynSent,
  socketTimeWait,
} from "./fixtures.js";
import { Tcp, type TcpRepr } from "./segment.js";
import { seqLe } from "./seq.js";
import type { TcpSocket } from "./socket.js";

const builders: (() => TcpSocket)[] = [
  socketListen,
  socketSynSent,
  socketSynReceived,
  socketEstablished,
  socketFinWait1,
  socketFinWait2,
  socketClosing,
  socketTimeWait,
  socketCloseWait,
  socketLastAck,
];

/**
 * Segments near the interesting numbers, any flags: sequence and acknowledgment numbers are offsets
 * from the socket's own RCV.NXT and SND.UNA at the moment the segment arrives.
 */
const segment = fc
  .record({
    seqOff: fc.integer({ min: -100, max: 120 }),
    ackOff: fc.integer({ min: -30, max: 120 }),
    flags: fc.integer({ min: 0, max: 0x3f }),
    window: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 0xffff })),
    len: fc.integer({ min: 0, max: 80 }),
    mss: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined }),
    windowScale: fc.option(fc.integer({ min: 0, max: 14 }), { nil: undefined }),
  })
  .map(
    (r) =>
      (s: TcpSocket): TcpRepr =>
        seg({
          seq: ((s.state === "LISTEN" ? REMOTE_SEQ : s.rcvNxt) + r.seqOff) >>> 0,
          ack: ((s.state === "LISTEN" ? LOCAL_SEQ : s.sndUna) + r.ackOff) >>> 0,
          flags: r.flags,
          window: r.window,
          payload: r.len === 0 ? Tcp.EMPTY : new Uint8Array(r.len).fill(r.len),
          ...(r.mss !== undefined ? { mss: r.mss } : {}),
          ...(r.windowScale !== undefined ? { windowScale: r.windowScale } : {}),
        }),
  );

function invariants(s: TcpSocket): void {
  if (s.state === "CLOSED" || s.state === "LISTEN") return;
  expect(seqLe(s.sndUna, s.sndNxt)).toBe(true);
  expect(seqLe(s.sndNxt, s.sndMax)).toBe(true);
  expect(s.rx.length).toBeLessThanOrEqual(s.rx.capacity);
  expect(s.tx.length).toBeLessThanOrEqual(s.tx.capacity);
  expect(s.sendMss).toBeGreaterThanOrEqual(64);
}

describe("any sequence of segments and timer ticks", () => {
  it("never throws and keeps the sequence-space invariants, from every state", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: builders.length - 1 }),
        fc.array(fc.tuple(segment, fc.integer({ min: 0, max: 3000 }), fc.boolean()), { maxLength: 40 }),
        (which, steps) => {
          const s = (builders[which] as () => TcpSocket)();
          let now = 0;
          for (const [repr, dt, userOp] of steps) {
            now += dt;
            const reply = send(s, repr(s), now);
            if (reply !== undefined) expect(Tcp.bufferLen(reply)).toBeGreaterThanOrEqual(20);
            if (userOp) {
              s.send(new Uint8Array(dt % 50));
              s.recv(new Uint8Array(dt % 70));
            }
            for (const out of recv(s, now)) {
              expect(out.payload.length).toBeLessThanOrEqual(Math.max(s.sendMss, 1));
              expect(out.window).toBeLessThanOrEqual(0xffff);
            }
            invariants(s);
            expect(s.pollAt(now)).toBeGreaterThanOrEqual(now);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
