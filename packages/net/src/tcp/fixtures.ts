/**
 * Fixture builders for socket tests, after smoltcp's `socket_established()` family: a socket driven into
 * each RFC 9293 state through real segments, plus helpers to feed a segment and collect what the socket
 * sends. Small buffers (64 bytes) make window edges easy to hit.
 */

import type { TcpConfig } from "./config.js";
import { ACK, FIN, SYN, Tcp, type TcpRepr } from "./segment.js";
import { type TcpEndpoint, TcpSocket } from "./socket.js";

/** Our end and the peer's. */
export const LOCAL: TcpEndpoint = { addr: 0x0a4d0002, port: 80 };
export const REMOTE: TcpEndpoint = { addr: 0x0a4d0001, port: 49500 };
/** Our ISS and the peer's. */
export const LOCAL_SEQ = 10_000;
export const REMOTE_SEQ = -10_000 >>> 0; // near the wrap, so arithmetic mistakes show
/** The peer's addresses as `process` sees them. */
export const FROM_REMOTE = { src: REMOTE.addr, dst: LOCAL.addr };

/** Test defaults: 64-byte buffers, no window scaling, short MSL. */
export const TEST_CONFIG: Partial<TcpConfig> = {
  rxBufferSize: 64,
  txBufferSize: 64,
  msl: 1000,
  initialRto: 1000,
  minRto: 200,
};

/** A segment from the peer; defaults: in-order after the handshake, ACK of our SYN, window 256. */
export function seg(fields: Partial<TcpRepr> = {}): TcpRepr {
  return {
    srcPort: REMOTE.port,
    dstPort: LOCAL.port,
    seq: (REMOTE_SEQ + 1) >>> 0,
    ack: LOCAL_SEQ + 1,
    flags: ACK,
    window: 256,
    payload: Tcp.EMPTY,
    ...fields,
  };
}

/** What our socket's segments are expected to be, for `toMatchObject`. */
export function out(fields: Partial<TcpRepr> = {}): Partial<TcpRepr> {
  return {
    srcPort: LOCAL.port,
    dstPort: REMOTE.port,
    seq: LOCAL_SEQ + 1,
    ack: (REMOTE_SEQ + 1) >>> 0,
    ...fields,
  };
}

/** Feed one segment; returns the immediate reply, if any. */
export function send(s: TcpSocket, segment: TcpRepr, now = 0): TcpRepr | undefined {
  return s.process(now, FROM_REMOTE, segment);
}

/** Dispatch at `now`; the segments sent, payloads copied (they are views of the send buffer). */
export function recv(s: TcpSocket, now = 0, accept = true): TcpRepr[] {
  const got: TcpRepr[] = [];
  s.dispatch(now, (r) => {
    got.push({ ...r, payload: r.payload.slice() });
    return accept;
  });
  return got;
}

/** `text` as bytes. */
export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A socket in LISTEN on LOCAL.port, handing out LOCAL_SEQ as its ISN. */
export function socketListen(config: Partial<TcpConfig> = {}): TcpSocket {
  const s = new TcpSocket({ ...TEST_CONFIG, ...config });
  s.isn = () => LOCAL_SEQ;
  s.listen(LOCAL.port);
  return s;
}

/** SYN-RECEIVED: the peer's SYN (MSS 1000) arrived and our SYN-ACK went out. */
export function socketSynReceived(
  config: Partial<TcpConfig> = {},
  synFields: Partial<TcpRepr> = {},
): TcpSocket {
  const s = socketListen(config);
  send(s, seg({ seq: REMOTE_SEQ, ack: 0, flags: SYN, mss: 1000, window: 256, ...synFields }));
  recv(s);
  return s;
}

/** SYN-SENT: our SYN went out to REMOTE. */
export function socketSynSent(config: Partial<TcpConfig> = {}): TcpSocket {
  const s = new TcpSocket({ ...TEST_CONFIG, ...config });
  s.connect(0, REMOTE, LOCAL.port, LOCAL_SEQ, LOCAL.addr);
  recv(s);
  return s;
}

/** ESTABLISHED (passive side) with nothing in flight. */
export function socketEstablished(config: Partial<TcpConfig> = {}): TcpSocket {
  const s = socketSynReceived(config);
  send(s, seg());
  return s;
}

/** FIN-WAIT-1: we closed and our FIN (seq LOCAL_SEQ+1) is unacknowledged. */
export function socketFinWait1(config: Partial<TcpConfig> = {}): TcpSocket {
  const s = socketEstablished(config);
  s.close();
  recv(s);
  return s;
}

/** FIN-WAIT-2: our FIN was acknowledged. */
export function socketFinWait2(config: Partial<TcpConfig> = {}): TcpSocket {
  const s = socketFinWait1(config);
  send(s, seg({ ack: LOCAL_SEQ + 2 }));
  return s;
}

/** CLOSING: simultaneous close, the peer's FIN arrived before the ACK of ours. */
export function socketClosing(config: Partial<TcpConfig> = {}): TcpSocket {
  const s = socketFinWait1(config);
  send(s, seg({ flags: FIN | ACK }));
  recv(s);
  return s;
}

/** TIME-WAIT (entered at t=0 from FIN-WAIT-2). */
export function socketTimeWait(config: Partial<TcpConfig> = {}): TcpSocket {
  const s = socketFinWait2(config);
  send(s, seg({ flags: FIN | ACK, ack: LOCAL_SEQ + 2 }));
  recv(s);
  return s;
}

/** CLOSE-WAIT: the peer's FIN arrived and was acknowledged. */
export function socketCloseWait(config: Partial<TcpConfig> = {}): TcpSocket {
  const s = socketEstablished(config);
  send(s, seg({ flags: FIN | ACK }));
  recv(s);
  return s;
}

/** LAST-ACK: we closed after the peer; our FIN (seq LOCAL_SEQ+1) is unacknowledged. */
export function socketLastAck(config: Partial<TcpConfig> = {}): TcpSocket {
  const s = socketCloseWait(config);
  s.close();
  recv(s);
  return s;
}
