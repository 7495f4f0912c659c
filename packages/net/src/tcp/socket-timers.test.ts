import { describe, expect, it } from "vitest";
import { LOCAL_SEQ, out, recv, seg, send, socketEstablished } from "./fixtures.js";
import { ACK, FIN } from "./segment.js";
import type { TcpSocket } from "./socket.js";

const L1 = LOCAL_SEQ + 1;
/** An ACK from the peer for `n` bytes, window unchanged (1000). */
const ackOf = (n: number, fields = {}) => seg({ ack: L1 + n, window: 1000, ...fields });

/** Established with 10-byte segments, a big peer window and `n` segments sent at t=0. */
function inFlight(n: number, config = {}): TcpSocket {
  const s = socketEstablished({ txBufferSize: 256, ...config });
  s.sendMss = 10;
  s.cc.setMss(10);
  s.cc.cwnd = 1000;
  send(s, seg({ window: 1000 }));
  s.send(new Uint8Array(n * 10).map((_, i) => i));
  expect(recv(s).length).toBe(n);
  return s;
}

describe("retransmission timer (RFC 6298)", () => {
  it("expires after the RTO, goes back to SND.UNA with cwnd of one segment, and backs off", () => {
    const s = inFlight(4);
    expect(s.pollAt(0)).toBe(200);
    expect(recv(s, 199)).toEqual([]);
    const first = recv(s, 200);
    expect(first).toMatchObject([out({ seq: L1, flags: ACK })]);
    expect(first[0]?.payload.length).toBe(10);
    expect(s.cc.cwnd).toBe(10);
    expect(s.cc.ssthresh).toBe(20);
    expect(s.stats.timeouts).toBe(1);
    expect(s.pollAt(200)).toBe(600); // doubled
    // the retransmission is acknowledged: slow start resends the rest, no RTT sample (Karn)
    const before = s.rtt.srtt;
    send(s, seg({ ack: L1 + 10 }), 250);
    expect(s.rtt.srtt).toBe(before);
    expect(recv(s, 250).map((x) => x.seq)).toEqual([L1 + 10, L1 + 20]);
  });

  it("an ACK beyond the rewound SND.NXT moves it forward (the originals arrived after all)", () => {
    const s = inFlight(4);
    recv(s, 200);
    send(s, seg({ ack: L1 + 40 }), 210);
    expect(s.sndNxt).toBe(L1 + 40);
    expect(s.sendQueued).toBe(0);
  });

  it("gives up after maxRetries with TIMEOUT and an RST", () => {
    const s = inFlight(1, { maxRetries: 3 });
    let t = 0;
    for (let i = 0; i < 3; i++) {
      t = s.pollAt(t);
      expect(recv(s, t)).toMatchObject([{ seq: L1 }]);
    }
    t = s.pollAt(t);
    expect(recv(s, t)).toMatchObject([{ flags: 0x04 | ACK }]);
    expect(s.state).toBe("CLOSED");
    expect(s.error).toBe("TIMEOUT");
  });

  it("a new ACK restarts the timer for what is still outstanding", () => {
    const s = inFlight(2);
    send(s, seg({ ack: L1 + 10 }), 150);
    expect(s.pollAt(150)).toBe(150); // dirty: dispatch runs
    recv(s, 150);
    expect(s.pollAt(150)).toBe(150 + s.rtt.rto);
  });
});

describe("fast retransmit and NewReno (RFC 5681, RFC 6582)", () => {
  it("retransmits SND.UNA on the third duplicate ACK and not before", () => {
    const s = inFlight(6);
    send(s, ackOf(10));
    recv(s);
    for (let i = 0; i < 2; i++) {
      send(s, ackOf(10));
      expect(recv(s)).toEqual([]);
    }
    send(s, ackOf(10));
    const [rx] = recv(s);
    expect(rx).toMatchObject(out({ seq: L1 + 10 }));
    expect(s.stats.fastRetransmits).toBe(1);
    expect(s.cc.inRecovery).toBe(true);
    expect(s.sndNxt).toBe(L1 + 60); // not rewound
  });

  it("duplicate ACKs that carry data or change the window are not counted", () => {
    const s = inFlight(4);
    send(s, ackOf(0));
    send(s, ackOf(0, { window: 999 }));
    send(s, ackOf(0, { window: 999, payload: new Uint8Array(1) }));
    expect(s.stats.dupAcksIn).toBe(1);
  });

  it("a partial ACK in recovery retransmits the next hole at once", () => {
    const s = inFlight(6);
    for (let i = 0; i < 3; i++) send(s, ackOf(0));
    expect(recv(s)).toMatchObject([{ seq: L1 }]);
    send(s, ackOf(30)); // partial: recover is L1+60
    expect(recv(s)[0]).toMatchObject({ seq: L1 + 30 });
    send(s, ackOf(60)); // full
    expect(s.cc.inRecovery).toBe(false);
  });
});

describe("persist timer (zero-window probing)", () => {
  it("probes a zero window with one byte, backs off, and resumes when it opens", () => {
    const s = socketEstablished();
    s.send(new Uint8Array(30));
    recv(s);
    send(s, seg({ ack: L1 + 30, window: 0 }));
    s.send(new Uint8Array(5).fill(9));
    expect(recv(s, 0)).toEqual([]); // nothing may go
    const t1 = s.pollAt(0);
    expect(t1).toBe(200); // one RTO
    const [probe] = recv(s, t1);
    expect(probe).toMatchObject(out({ seq: L1 + 30 }));
    expect(probe?.payload.length).toBe(1);
    expect(s.sndNxt).toBe(L1 + 30);
    const t2 = s.pollAt(t1);
    expect(t2 - t1).toBe(400);
    const [probe2] = recv(s, t2);
    expect(probe2).toMatchObject({ seq: L1 + 30 });
    expect(s.pollAt(t2) - t2).toBe(800); // 200 · 2^2 after two probes
    send(s, seg({ ack: L1 + 30, window: 100 }), t2 + 1);
    expect(recv(s, t2 + 1)).toMatchObject([{ seq: L1 + 30 }]);
    expect(s.sndNxt).toBe(L1 + 35);
    expect(s.persistAt).toBe(Number.POSITIVE_INFINITY);
  });

  it("a probe byte the peer accepts advances SND.NXT through the ACK", () => {
    const s = socketEstablished();
    send(s, seg({ window: 0 }));
    s.send(new Uint8Array(5));
    recv(s, 0);
    recv(s, s.pollAt(0));
    expect(s.sndMax).toBe(L1 + 1);
    send(s, seg({ ack: L1 + 1, window: 0 }), 300);
    expect(s.sndNxt).toBe(L1 + 1);
    expect(s.sendQueued).toBe(4);
  });
});

describe("keep-alive", () => {
  it("probes an idle connection with SEQ = SND.NXT - 1, and an answer resets the count", () => {
    const s = socketEstablished({ keepAliveIdle: 1000, keepAliveInterval: 100, keepAliveCount: 2 });
    recv(s, 0);
    expect(s.pollAt(0)).toBe(1000);
    expect(recv(s, 1000)).toMatchObject([out({ seq: LOCAL_SEQ, flags: ACK })]);
    expect(s.pollAt(1000)).toBe(1100);
    send(s, seg(), 1050);
    expect(s.keepAliveProbes).toBe(0);
    expect(s.pollAt(1050)).toBe(2050);
  });

  it("gives up after keepAliveCount unanswered probes", () => {
    const s = socketEstablished({ keepAliveIdle: 1000, keepAliveInterval: 100, keepAliveCount: 2 });
    recv(s, 1000);
    recv(s, 1100);
    recv(s, 1200);
    expect(s.state).toBe("CLOSED");
    expect(s.error).toBe("TIMEOUT");
  });

  it("is off by default", () => {
    const s = socketEstablished();
    recv(s, 0);
    expect(s.pollAt(0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("emit failures", () => {
  it("a refused segment is not counted as sent and is tried again", () => {
    const s = socketEstablished();
    s.send(new Uint8Array(5));
    expect(recv(s, 0, false).length).toBe(1);
    expect(s.sndNxt).toBe(L1);
    expect(s.pollAt(0)).toBe(1);
    expect(recv(s, 1)).toMatchObject([{ seq: L1 }]);
    expect(s.stats.emitFailures).toBe(1);
  });

  it("the FIN is retransmitted with the data in front of it", () => {
    const s = socketEstablished();
    s.send(new Uint8Array(5));
    s.close();
    recv(s);
    expect(recv(s, 200)).toMatchObject([{ seq: L1, flags: ACK | FIN | 0x08 }]);
  });
});
