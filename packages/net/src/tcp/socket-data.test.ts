import { describe, expect, it } from "vitest";
import { bytes, LOCAL_SEQ, out, REMOTE_SEQ, recv, seg, send, socketEstablished } from "./fixtures.js";
import { ACK, PSH, RST, SYN } from "./segment.js";

const R1 = (REMOTE_SEQ + 1) >>> 0;
const L1 = LOCAL_SEQ + 1;
const r = (n: number) => (R1 + n) >>> 0;

function read(s: ReturnType<typeof socketEstablished>): string {
  const buf = new Uint8Array(256);
  const n = s.recv(buf);
  return new TextDecoder().decode(buf.subarray(0, n));
}

describe("ESTABLISHED: receiving", () => {
  it("takes in-order data, acknowledges it at dispatch with the window shrunk", () => {
    const s = socketEstablished();
    expect(send(s, seg({ payload: bytes("abcdef") }))).toBeUndefined();
    expect(s.rcvNxt).toBe(r(6));
    expect(recv(s)).toMatchObject([out({ ack: r(6), flags: ACK, window: 58 })]);
    expect(read(s)).toBe("abcdef");
  });

  it("answers out-of-order data with an immediate duplicate ACK and delivers once the hole fills", () => {
    const s = socketEstablished();
    expect(send(s, seg({ seq: r(3), payload: bytes("def") }))).toMatchObject(out({ ack: R1 }));
    expect(s.recvQueued).toBe(0);
    expect(s.stats.outOfOrder).toBe(1);
    expect(send(s, seg({ seq: r(3), payload: bytes("def") }))).toMatchObject(out({ ack: R1 })); // duplicate
    expect(send(s, seg({ payload: bytes("abc") }))).toMatchObject(out({ ack: r(6) })); // fills the hole
    expect(read(s)).toBe("abcdef");
  });

  it("trims a retransmission that overlaps what it already has", () => {
    const s = socketEstablished();
    send(s, seg({ payload: bytes("abc") }));
    send(s, seg({ payload: bytes("abcdef") }));
    expect(read(s)).toBe("abcdef");
  });

  it("acknowledges an old duplicate without taking it", () => {
    const s = socketEstablished();
    send(s, seg({ payload: bytes("abc") }));
    recv(s);
    expect(send(s, seg({ payload: bytes("abc") }))).toMatchObject(out({ ack: r(3) }));
    expect(read(s)).toBe("abc");
  });

  it("takes only what fits the window and acknowledges a segment wholly beyond it", () => {
    const s = socketEstablished();
    const big = new Uint8Array(100).fill(7);
    send(s, seg({ payload: big }));
    expect(s.recvQueued).toBe(64);
    expect(s.rcvNxt).toBe(r(64));
    expect(send(s, seg({ seq: r(64), payload: bytes("x") }))).toMatchObject(out({ ack: r(64), window: 0 }));
    expect(s.recvQueued).toBe(64);
  });

  it("sends a window update once the application frees enough space", () => {
    const s = socketEstablished();
    send(s, seg({ payload: new Uint8Array(64) }));
    expect(recv(s)).toMatchObject([{ window: 0 }]);
    s.recv(new Uint8Array(20));
    expect(recv(s)).toEqual([]); // 20 bytes is not worth a segment (receiver SWS avoidance: half the buffer)
    s.recv(new Uint8Array(12));
    expect(recv(s)).toMatchObject([{ ack: r(64), window: 32 }]);
  });

  it("still takes an ACK on a zero window (RFC 9293's allowance)", () => {
    const s = socketEstablished();
    s.send(bytes("hi"));
    recv(s);
    send(s, seg({ payload: new Uint8Array(64) }));
    send(s, seg({ seq: r(64), ack: L1 + 2, payload: bytes("zz") }));
    expect(s.sndUna).toBe(L1 + 2);
  });

  it("scales the windows it negotiated", () => {
    const s = socketEstablished();
    s.sndShift = 4;
    send(s, seg({ window: 10 }));
    expect(s.sndWnd).toBe(160);
  });
});

describe("ESTABLISHED: sending", () => {
  it("sends queued data with PSH on the last segment and times it", () => {
    const s = socketEstablished();
    expect(s.send(bytes("hello"))).toBe(5);
    const [d] = recv(s, 5);
    expect(d).toMatchObject(out({ flags: ACK | PSH }));
    expect(new TextDecoder().decode(d?.payload)).toBe("hello");
    expect(s.sndNxt).toBe(L1 + 5);
    expect(s.pollAt(5)).toBe(205); // the handshake measured 0 ms: RTO at its 200 ms floor
    send(s, seg({ ack: L1 + 5 }), 45);
    expect(s.rtt.srtt).toBe(5); // 7/8 · 0 + 1/8 · 40
    expect(s.sendQueued).toBe(0);
    expect(recv(s, 45)).toEqual([]);
    expect(s.pollAt(45)).toBe(Number.POSITIVE_INFINITY); // timer stopped: nothing outstanding
  });

  it("cuts data into MSS-sized segments and respects the peer's window", () => {
    const s = socketEstablished();
    s.sendMss = 20;
    s.sndWnd = 50;
    s.send(new Uint8Array(64));
    const segs = recv(s);
    // The 10 bytes left in the window wait: a runt while data is in flight (sender SWS avoidance).
    expect(segs.map((x) => x.payload.length)).toEqual([20, 20]);
    send(s, seg({ ack: L1 + 40, window: 50 }));
    expect(recv(s).map((x) => x.payload.length)).toEqual([20, 4]);
  });

  it("refuses more than the send buffer holds (backpressure) and takes more once acknowledged", () => {
    const s = socketEstablished();
    expect(s.send(new Uint8Array(100))).toBe(64);
    expect(s.send(bytes("x"))).toBe(0);
    recv(s);
    send(s, seg({ ack: L1 + 32 }));
    expect(s.sendFree).toBe(32);
  });

  it("answers an ACK of unsent data with an ACK and ignores it", () => {
    const s = socketEstablished();
    expect(send(s, seg({ ack: L1 + 100, payload: bytes("abc") }))).toMatchObject(out({ ack: R1 }));
    expect(s.sndUna).toBe(L1);
    expect(s.recvQueued).toBe(0);
  });
});

describe("ESTABLISHED: RST and SYN (RFC 5961)", () => {
  it("an RST exactly at RCV.NXT resets the connection", () => {
    const s = socketEstablished();
    let closed: string | undefined = "not called";
    s.hooks.onClosed = (e) => {
      closed = e;
    };
    expect(send(s, seg({ flags: RST }))).toBeUndefined();
    expect(s.state).toBe("CLOSED");
    expect(s.error).toBe("RESET");
    expect(closed).toBe("RESET");
  });

  it("an in-window RST that is not exact gets a challenge ACK", () => {
    const s = socketEstablished();
    expect(send(s, seg({ seq: r(10), flags: RST }))).toMatchObject(out({ flags: ACK, ack: R1 }));
    expect(s.state).toBe("ESTABLISHED");
    expect(s.stats.challengeAcks).toBe(1);
  });

  it("an RST outside the window is dropped silently", () => {
    const s = socketEstablished();
    expect(send(s, seg({ seq: r(1000), flags: RST }))).toBeUndefined();
    expect(send(s, seg({ seq: r(-1), flags: RST }))).toBeUndefined();
    expect(s.state).toBe("ESTABLISHED");
  });

  it("a SYN in window gets a challenge ACK, not a reset", () => {
    const s = socketEstablished();
    expect(send(s, seg({ flags: SYN, ack: 0 }))).toMatchObject(out({ flags: ACK }));
    expect(s.state).toBe("ESTABLISHED");
  });

  it("abort() sends an RST and closes", () => {
    const s = socketEstablished();
    s.abort();
    expect(s.state).toBe("CLOSED");
    expect(recv(s)).toMatchObject([out({ flags: RST | ACK })]);
    expect(recv(s)).toEqual([]);
  });

  it("a CLOSED socket answers anything with RST", () => {
    const s = socketEstablished();
    s.abort();
    recv(s);
    expect(send(s, seg({ ack: 77 }))).toMatchObject({ seq: 77, flags: RST });
  });
});
