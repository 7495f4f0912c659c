import { describe, expect, it } from "vitest";
import {
  bytes,
  LOCAL_SEQ,
  out,
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
  socketTimeWait,
} from "./fixtures.js";
import { ACK, FIN, RST } from "./segment.js";

const R1 = (REMOTE_SEQ + 1) >>> 0;
const R2 = (REMOTE_SEQ + 2) >>> 0;
const L1 = LOCAL_SEQ + 1;
const L2 = LOCAL_SEQ + 2;

describe("active close", () => {
  it("ESTABLISHED → FIN-WAIT-1 sends FIN after the queued data", () => {
    const s = socketEstablished();
    s.send(bytes("bye"));
    s.close();
    expect(s.state).toBe("FIN-WAIT-1");
    expect(s.send(bytes("more"))).toBe(0);
    const [d] = recv(s);
    expect(d).toMatchObject(out({ flags: ACK | FIN | 0x08, seq: L1 }));
    expect(d?.payload.length).toBe(3);
    expect(s.sndNxt).toBe(L1 + 4);
  });

  it("FIN-WAIT-1 → FIN-WAIT-2 on the ACK of the FIN", () => {
    const s = socketFinWait1();
    send(s, seg({ ack: L1 })); // acks nothing new
    expect(s.state).toBe("FIN-WAIT-1");
    send(s, seg({ ack: L2 }));
    expect(s.state).toBe("FIN-WAIT-2");
  });

  it("FIN-WAIT-2 still receives data, and the peer's FIN leads to TIME-WAIT with an ACK", () => {
    const s = socketFinWait2();
    send(s, seg({ ack: L2, payload: bytes("tail") }));
    expect(s.recvQueued).toBe(4);
    expect(send(s, seg({ seq: (R1 + 4) >>> 0, ack: L2, flags: FIN | ACK }))).toMatchObject(
      out({ seq: L2, ack: (R1 + 5) >>> 0, flags: ACK }),
    );
    expect(s.state).toBe("TIME-WAIT");
    expect(s.atEof).toBe(false); // "tail" is still to be read
    s.recv(new Uint8Array(8));
    expect(s.atEof).toBe(true);
  });

  it("FIN-WAIT-1 with FIN+ACK of our FIN goes straight to TIME-WAIT", () => {
    const s = socketFinWait1();
    send(s, seg({ ack: L2, flags: FIN | ACK }));
    expect(s.state).toBe("TIME-WAIT");
  });

  it("simultaneous close: FIN-WAIT-1 → CLOSING → TIME-WAIT", () => {
    const s = socketClosing();
    expect(s.state).toBe("CLOSING");
    expect(s.rcvNxt).toBe(R2);
    send(s, seg({ seq: R2, ack: L2 }));
    expect(s.state).toBe("TIME-WAIT");
  });

  it("CLOSING retransmits the FIN on the RTO", () => {
    const s = socketClosing();
    expect(recv(s, 1000)).toMatchObject([out({ seq: L1, ack: R2, flags: ACK | FIN })]);
  });

  it("TIME-WAIT lasts 2·MSL, then CLOSED", () => {
    const s = socketTimeWait();
    expect(s.pollAt(0)).toBe(2000);
    recv(s, 1999);
    expect(s.state).toBe("TIME-WAIT");
    recv(s, 2000);
    expect(s.state).toBe("CLOSED");
    expect(s.error).toBeUndefined();
  });

  it("TIME-WAIT acknowledges a retransmitted FIN and restarts the timer", () => {
    const s = socketTimeWait();
    expect(send(s, seg({ ack: L2, flags: FIN | ACK }), 500)).toMatchObject(
      out({ seq: L2, ack: R2, flags: ACK }),
    );
    expect(s.pollAt(500)).toBe(2500);
  });

  it("TIME-WAIT closes quietly on an RST", () => {
    const s = socketTimeWait();
    send(s, seg({ seq: R2, flags: RST }));
    expect(s.state).toBe("CLOSED");
    expect(s.error).toBeUndefined();
  });
});

describe("passive close", () => {
  it("ESTABLISHED → CLOSE-WAIT on the peer's FIN; reads then end", () => {
    const s = socketEstablished();
    let readable = 0;
    s.hooks.onReadable = () => readable++;
    send(s, seg({ payload: bytes("ab"), flags: FIN | ACK }));
    expect(s.state).toBe("CLOSE-WAIT");
    expect(s.rcvNxt).toBe((R1 + 3) >>> 0);
    expect(readable).toBeGreaterThan(0);
    expect(s.atEof).toBe(false);
    s.recv(new Uint8Array(4));
    expect(s.atEof).toBe(true);
  });

  it("a FIN that arrives before the data ahead of it waits for that data", () => {
    const s = socketEstablished();
    send(s, seg({ seq: (R1 + 2) >>> 0, flags: FIN | ACK, payload: bytes("cd") }));
    expect(s.state).toBe("ESTABLISHED");
    expect(send(s, seg({ payload: bytes("ab") }))).toMatchObject(out({ ack: (R1 + 5) >>> 0 }));
    expect(s.state).toBe("CLOSE-WAIT");
  });

  it("CLOSE-WAIT can still send; close() → LAST-ACK with a FIN; its ACK → CLOSED", () => {
    const s = socketCloseWait();
    expect(s.send(bytes("reply"))).toBe(5);
    s.close();
    expect(s.state).toBe("LAST-ACK");
    expect(recv(s)).toMatchObject([out({ ack: R2, flags: ACK | FIN | 0x08 })]);
    let closed: string | undefined = "not called";
    s.hooks.onClosed = (e) => {
      closed = e;
    };
    send(s, seg({ seq: R2, ack: L1 + 6 }));
    expect(s.state).toBe("CLOSED");
    expect(closed).toBeUndefined();
  });

  it("LAST-ACK retransmits its FIN", () => {
    const s = socketLastAck();
    expect(recv(s, 1000)).toMatchObject([out({ seq: L1, ack: R2, flags: ACK | FIN })]);
  });

  it("CLOSE-WAIT ignores data after the FIN", () => {
    const s = socketCloseWait();
    send(s, seg({ seq: R2, payload: bytes("late") }));
    expect(s.recvQueued).toBe(0);
  });
});
