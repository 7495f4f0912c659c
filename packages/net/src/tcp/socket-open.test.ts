import { describe, expect, it } from "vitest";
import {
  LOCAL,
  LOCAL_SEQ,
  out,
  REMOTE,
  REMOTE_SEQ,
  recv,
  seg,
  send,
  socketEstablished,
  socketListen,
  socketSynReceived,
  socketSynSent,
} from "./fixtures.js";
import { ACK, RST, SYN } from "./segment.js";
import { TcpSocket } from "./socket.js";

const R1 = (REMOTE_SEQ + 1) >>> 0;

describe("LISTEN", () => {
  it("answers a SYN with a SYN-ACK carrying our MSS and moves to SYN-RECEIVED", () => {
    const s = socketListen();
    expect(send(s, seg({ seq: REMOTE_SEQ, ack: 0, flags: SYN, mss: 1000 }))).toBeUndefined();
    expect(s.state).toBe("SYN-RECEIVED");
    expect(s.remote).toEqual(REMOTE);
    const [synAck, ...rest] = recv(s);
    expect(rest).toEqual([]);
    expect(synAck).toMatchObject(out({ seq: LOCAL_SEQ, ack: R1, flags: SYN | ACK, window: 64, mss: 1460 }));
    expect(synAck?.windowScale).toBeUndefined(); // the SYN offered none
    expect(s.sendMss).toBe(1000);
  });

  it("answers window scale only when offered, with the shift its buffer needs", () => {
    const s = socketListen({ rxBufferSize: 256 * 1024 });
    send(s, seg({ seq: REMOTE_SEQ, ack: 0, flags: SYN, windowScale: 3 }));
    const [synAck] = recv(s);
    expect(synAck?.windowScale).toBe(3); // 256 KiB >> 2 is one byte too many for 16 bits
    expect(synAck?.window).toBe(0xffff); // never scaled in a SYN
    expect(s.sndShift).toBe(3);
    expect(s.rcvShift).toBe(3);
    expect(s.sendMss).toBe(536); // no MSS option: the RFC 9293 default
  });

  it("resets an ACK, ignores an RST and a bare segment", () => {
    const s = socketListen();
    expect(send(s, seg({ ack: 1234 }))).toMatchObject({ seq: 1234, flags: RST, srcPort: LOCAL.port });
    expect(send(s, seg({ flags: RST }))).toBeUndefined();
    expect(send(s, seg({ flags: 0 }))).toBeUndefined();
    expect(s.state).toBe("LISTEN");
  });

  it("close() returns to CLOSED", () => {
    const s = socketListen();
    s.close();
    expect(s.state).toBe("CLOSED");
  });
});

describe("SYN-RECEIVED", () => {
  it("becomes ESTABLISHED on the ACK of our SYN, taking the window", () => {
    const s = socketSynReceived();
    let established = 0;
    s.hooks.onEstablished = () => established++;
    expect(send(s, seg({ window: 300 }))).toBeUndefined();
    expect(s.state).toBe("ESTABLISHED");
    expect(established).toBe(1);
    expect(s.sndUna).toBe(LOCAL_SEQ + 1);
    expect(s.sndWnd).toBe(300);
    expect(recv(s)).toEqual([]);
  });

  it("resets an ACK that does not acknowledge our SYN", () => {
    const s = socketSynReceived();
    expect(send(s, seg({ ack: LOCAL_SEQ + 5 }))).toMatchObject({ seq: LOCAL_SEQ + 5, flags: RST });
    expect(s.state).toBe("SYN-RECEIVED");
  });

  it("sends the SYN-ACK again when the peer retransmits its SYN", () => {
    const s = socketSynReceived();
    send(s, seg({ seq: REMOTE_SEQ, ack: 0, flags: SYN, mss: 1000 }));
    expect(recv(s)).toMatchObject([out({ seq: LOCAL_SEQ, flags: SYN | ACK })]);
  });

  it("retransmits the SYN-ACK on the RTO, then gives up after maxRetries", () => {
    const s = socketSynReceived({ maxRetries: 2 });
    expect(recv(s, 999)).toEqual([]);
    expect(recv(s, 1000)).toMatchObject([out({ seq: LOCAL_SEQ, flags: SYN | ACK })]);
    expect(s.pollAt(1000)).toBe(3000); // backed off to 2 s
    expect(recv(s, 3000)).toMatchObject([out({ seq: LOCAL_SEQ, flags: SYN | ACK })]);
    recv(s, 7000);
    expect(s.state).toBe("CLOSED");
    expect(s.error).toBe("TIMEOUT");
  });

  it("goes away on an in-window RST (RFC 9293 §3.10.7.4)", () => {
    const s = socketSynReceived();
    send(s, seg({ flags: RST }));
    expect(s.state).toBe("CLOSED");
  });

  it("queues a close until the handshake completes, then sends the FIN", () => {
    const s = socketSynReceived();
    s.close();
    expect(s.state).toBe("SYN-RECEIVED");
    send(s, seg());
    expect(s.state).toBe("FIN-WAIT-1");
    expect(recv(s)).toMatchObject([out({ flags: ACK | 0x01 })]);
  });
});

describe("SYN-SENT", () => {
  it("sends a SYN with MSS and window scale", () => {
    const s = socketSynSent();
    expect(s.state).toBe("SYN-SENT");
    expect(s.sndNxt).toBe(LOCAL_SEQ + 1);
  });

  it("the SYN fields", () => {
    const s = new TcpSocket({ rxBufferSize: 1 << 20 });
    s.connect(0, REMOTE, LOCAL.port, LOCAL_SEQ);
    const [syn] = recv(s);
    expect(syn).toMatchObject({
      seq: LOCAL_SEQ,
      ack: 0,
      flags: SYN,
      window: 0xffff,
      mss: 1460,
      windowScale: 5,
    });
  });

  it("becomes ESTABLISHED on a SYN-ACK and acknowledges it at once", () => {
    const s = socketSynSent();
    const reply = send(s, seg({ seq: REMOTE_SEQ, flags: SYN | ACK, mss: 1200, window: 500 }));
    expect(reply).toMatchObject(out({ flags: ACK, window: 64 }));
    expect(s.state).toBe("ESTABLISHED");
    expect(s.sendMss).toBe(1200);
    expect(s.sndWnd).toBe(500);
    expect(s.rtt.srtt).toBe(0); // the SYN was timed
  });

  it("resets a SYN-ACK that acknowledges something else, and stays", () => {
    const s = socketSynSent();
    expect(send(s, seg({ seq: REMOTE_SEQ, flags: SYN | ACK, ack: LOCAL_SEQ + 9 }))).toMatchObject({
      seq: LOCAL_SEQ + 9,
      flags: RST,
    });
    expect(send(s, seg({ seq: REMOTE_SEQ, flags: SYN | ACK, ack: LOCAL_SEQ }))).toMatchObject({ flags: RST });
    expect(s.state).toBe("SYN-SENT");
  });

  it("is refused by an RST that acknowledges the SYN, ignores one that does not", () => {
    const s = socketSynSent();
    send(s, seg({ flags: RST, ack: 0 }));
    expect(s.state).toBe("SYN-SENT");
    send(s, seg({ flags: RST | ACK, ack: LOCAL_SEQ + 1 }));
    expect(s.state).toBe("CLOSED");
    expect(s.error).toBe("REFUSED");
  });

  it("simultaneous open: a bare SYN moves to SYN-RECEIVED and is answered by SYN-ACK with our ISS", () => {
    const s = socketSynSent();
    expect(send(s, seg({ seq: REMOTE_SEQ, ack: 0, flags: SYN, mss: 1000 }))).toBeUndefined();
    expect(s.state).toBe("SYN-RECEIVED");
    expect(recv(s)).toMatchObject([out({ seq: LOCAL_SEQ, ack: R1, flags: SYN | ACK })]);
    send(s, seg({ seq: R1, flags: SYN | ACK, ack: LOCAL_SEQ + 1 })); // the peer's SYN-ACK: a SYN in window
    send(s, seg());
    expect(s.state).toBe("ESTABLISHED");
  });

  it("retransmits the SYN with backoff", () => {
    const s = socketSynSent();
    expect(recv(s, 1000)).toMatchObject([{ seq: LOCAL_SEQ, flags: SYN }]);
    expect(recv(s, 2999)).toEqual([]);
    expect(recv(s, 3000)).toMatchObject([{ seq: LOCAL_SEQ, flags: SYN }]);
    expect(s.stats.retransmits).toBe(2);
  });

  it("close() drops it", () => {
    const s = socketSynSent();
    s.close();
    expect(s.state).toBe("CLOSED");
    expect(recv(s)).toEqual([]);
  });
});

describe("ESTABLISHED fixture", () => {
  it("has the expected numbers", () => {
    const s = socketEstablished();
    expect(s).toMatchObject({
      state: "ESTABLISHED",
      sndUna: LOCAL_SEQ + 1,
      sndNxt: LOCAL_SEQ + 1,
      rcvNxt: R1,
    });
  });
});
