/**
 * Segment arrival (RFC 9293 §3.10.7) for one socket: LISTEN, SYN-SENT and the synchronized states, with
 * RFC 5961's stricter RST, SYN and ACK checks (challenge ACKs instead of resets for in-window guesses).
 * Each function returns the segment to send at once, if any: an ACK for an unacceptable segment, a
 * challenge ACK, an RST, or the immediate ACK RFC 5681 asks for out-of-order data.
 */

import { ACK, FIN, RST, SYN, Tcp, type TcpRepr } from "./segment.js";
import { seqAdd, seqGe, seqGt, seqLe, seqLt, seqSub } from "./seq.js";
import type { TcpIp, TcpSocket } from "./socket.js";

/** The RST that answers `seg` when no connection wants it (RFC 9293 §3.10.7.1). */
export function resetReply(seg: TcpRepr): TcpRepr | undefined {
  if ((seg.flags & RST) !== 0) return undefined;
  const base = { srcPort: seg.dstPort, dstPort: seg.srcPort, window: 0, payload: Tcp.EMPTY };
  if ((seg.flags & ACK) !== 0) return { ...base, seq: seg.ack, ack: 0, flags: RST };
  return { ...base, seq: 0, ack: seqAdd(seg.seq, Tcp.segLen(seg)), flags: RST | ACK };
}

/** Entry point: dispatch on the state. */
export function processSegment(s: TcpSocket, now: number, ip: TcpIp, seg: TcpRepr): TcpRepr | undefined {
  s.stats.segmentsIn++;
  switch (s.state) {
    case "CLOSED":
      return resetReply(seg);
    case "LISTEN":
      return onListen(s, now, ip, seg);
    case "SYN-SENT":
      return onSynSent(s, now, seg);
    default:
      return onSynchronized(s, now, seg);
  }
}

/** Take the peer's SYN options: MSS (536 when absent, RFC 9293 §3.7.1) and window scaling (both or none). */
function negotiate(s: TcpSocket, seg: TcpRepr): void {
  s.sendMss = Math.max(64, Math.min(seg.mss ?? 536, s.linkMss));
  s.peerOfferedScale = seg.windowScale !== undefined;
  if (seg.windowScale !== undefined && s.config.windowScaling) {
    s.sndShift = seg.windowScale;
    s.rcvShift = ourShift(s.rx.capacity);
  } else {
    s.sndShift = 0;
    s.rcvShift = 0;
  }
  s.cc.setMss(s.sendMss);
}

/** The smallest shift that lets the 16-bit field cover the whole receive buffer. */
export function ourShift(capacity: number): number {
  let shift = 0;
  while (shift < 14 && capacity >>> shift > 0xffff) shift++;
  return shift;
}

function onListen(s: TcpSocket, now: number, ip: TcpIp, seg: TcpRepr): TcpRepr | undefined {
  if ((seg.flags & RST) !== 0) return undefined;
  if ((seg.flags & ACK) !== 0) return resetReply(seg);
  if ((seg.flags & SYN) === 0) return undefined;
  s.remote.addr = ip.src;
  s.remote.port = seg.srcPort;
  s.local.addr = ip.dst;
  s.irs = seg.seq;
  s.rcvNxt = seqAdd(seg.seq, 1);
  s.initSend(s.isn());
  negotiate(s, seg);
  s.sndWnd = seg.window; // never scaled in a SYN
  s.maxSndWnd = s.sndWnd;
  s.sndWl1 = seg.seq;
  s.sndWl2 = s.iss;
  s.lastRecvAt = now;
  s.setState("SYN-RECEIVED");
  s.dirty = true;
  return undefined; // the SYN-ACK goes at dispatch
}

function onSynSent(s: TcpSocket, now: number, seg: TcpRepr): TcpRepr | undefined {
  const f = seg.flags;
  const hasAck = (f & ACK) !== 0;
  if (hasAck && (seqLe(seg.ack, s.iss) || seqGt(seg.ack, s.sndMax))) {
    return (f & RST) !== 0 ? undefined : resetReply(seg);
  }
  if ((f & RST) !== 0) {
    if (hasAck) s.finish("REFUSED"); // acceptable ACK: the peer refused our SYN
    return undefined;
  }
  if ((f & SYN) === 0) return undefined;
  s.irs = seg.seq;
  s.rcvNxt = seqAdd(seg.seq, 1);
  negotiate(s, seg);
  s.sndWnd = seg.window;
  s.maxSndWnd = s.sndWnd;
  s.sndWl1 = seg.seq;
  s.lastRecvAt = now;
  if (hasAck) {
    s.sndUna = seg.ack;
    s.sndWl2 = seg.ack;
    if (s.rtt.sampleSeq !== undefined && seqGe(seg.ack, s.rtt.sampleSeq)) s.rtt.completeSample(now);
    s.retries = 0;
    s.rtoAt = Number.POSITIVE_INFINITY;
    s.setState("ESTABLISHED");
    s.dirty = true;
    return s.ackRepr();
  }
  // Simultaneous open (RFC 9293 §3.5, figure 8): answer SYN-ACK with our ISS again.
  s.sndWl2 = s.iss;
  s.sndNxt = s.iss;
  s.rtt.cancelSample();
  s.rtoAt = Number.POSITIVE_INFINITY;
  s.setState("SYN-RECEIVED");
  s.dirty = true;
  return undefined;
}

/** RFC 9293 §3.10.7.4's acceptability test against RCV.NXT and the receive window `wnd`. */
export function acceptable(seq: number, len: number, rcvNxt: number, wnd: number): boolean {
  const inWindow = (x: number) => seqLe(rcvNxt, x) && seqLt(x, seqAdd(rcvNxt, wnd));
  if (len === 0) return wnd === 0 ? seq === rcvNxt : inWindow(seq);
  if (wnd === 0) return false;
  return inWindow(seq) || inWindow(seqAdd(seq, len - 1));
}

function onSynchronized(s: TcpSocket, now: number, seg: TcpRepr): TcpRepr | undefined {
  const f = seg.flags;
  const segLen = Tcp.segLen(seg);
  // A retransmitted SYN while our SYN-ACK is unanswered: it was lost, send it again.
  if (s.state === "SYN-RECEIVED" && (f & SYN) !== 0 && (f & ACK) === 0 && seg.seq === s.irs) {
    s.sndNxt = s.iss;
    s.dirty = true;
    return undefined;
  }
  const wnd = s.rx.free;
  if (!acceptable(seg.seq, segLen, s.rcvNxt, wnd)) {
    if ((f & RST) !== 0) return undefined;
    // A zero window still takes ACKs (RFC 9293 §3.10.7.4: "special allowance ... valid ACKs").
    if (wnd === 0 && seg.seq === s.rcvNxt && (f & (ACK | SYN)) === ACK) onAck(s, now, seg);
    if (s.state === "TIME-WAIT" && (f & FIN) !== 0) s.timeWaitAt = now + 2 * s.config.msl;
    return s.ackRepr();
  }
  s.lastRecvAt = now;
  s.keepAliveProbes = 0;
  if ((f & RST) !== 0) {
    if (seg.seq !== s.rcvNxt) {
      s.stats.challengeAcks++; // RFC 5961 §3.2: in window but not exact
      return s.ackRepr();
    }
    s.finish(s.state === "TIME-WAIT" || s.state === "LAST-ACK" ? undefined : "RESET");
    return undefined;
  }
  if ((f & SYN) !== 0) {
    s.stats.challengeAcks++; // RFC 5961 §4.2: any SYN in a synchronized state
    return s.ackRepr();
  }
  if ((f & ACK) === 0) return undefined;
  if (s.state === "SYN-RECEIVED") {
    if (!(seqGt(seg.ack, s.sndUna) && seqLe(seg.ack, s.sndMax))) return resetReply(seg);
    s.sndWl1 = seqSub(seg.seq, 1) >>> 0; // force the window update below
    s.setState("ESTABLISHED");
  }
  if (!onAck(s, now, seg)) return s.ackRepr();
  if (s.finAcked) {
    if (s.state === "FIN-WAIT-1") s.setState("FIN-WAIT-2");
    else if (s.state === "CLOSING") s.enterTimeWait(now);
    else if (s.state === "LAST-ACK") {
      s.finish(undefined);
      return undefined;
    }
  }
  let reply: TcpRepr | undefined;
  const st = s.state;
  const takesData = st === "ESTABLISHED" || st === "FIN-WAIT-1" || st === "FIN-WAIT-2";
  if (seg.payload.length > 0 && takesData) reply = onData(s, seg);
  if ((f & FIN) !== 0 && takesData) {
    const at = seqAdd(seg.seq, seg.payload.length);
    if (seqGe(at, s.rcvNxt) && seqLt(at, seqAdd(s.rcvNxt, wnd + 1))) s.pendingFinSeq = at;
  }
  if (s.pendingFinSeq !== undefined && s.pendingFinSeq === s.rcvNxt && takesData) {
    acceptFin(s, now);
    return s.ackRepr();
  }
  return reply;
}

/** The peer's FIN is in order: consume it and move on (RFC 9293 §3.10.7.4, eighth step). */
function acceptFin(s: TcpSocket, now: number): void {
  s.pendingFinSeq = undefined;
  s.rcvNxt = seqAdd(s.rcvNxt, 1);
  s.peerFin = true;
  s.ackPending = true;
  s.dirty = true;
  if (s.state === "ESTABLISHED") s.setState("CLOSE-WAIT");
  else if (s.state === "FIN-WAIT-1") {
    if (s.finAcked) s.enterTimeWait(now);
    else s.setState("CLOSING"); // simultaneous close
  } else if (s.state === "FIN-WAIT-2") s.enterTimeWait(now);
  s.hooks.onReadable?.();
}

/**
 * The ACK field (RFC 9293 §3.10.7.4, fifth step, with RFC 5961 §5.2's lower bound). Returns false when
 * the segment must be dropped with an ACK in reply (it acknowledges something never sent, or is too old).
 */
function onAck(s: TcpSocket, now: number, seg: TcpRepr): boolean {
  const ack = seg.ack;
  if (seqGt(ack, s.sndMax)) return false;
  if (seqLt(ack, seqSub(s.sndUna, Math.max(s.maxSndWnd, s.sendMss)) >>> 0)) return false;
  const window = seg.window << s.sndShift;
  if (seqGt(ack, s.sndUna)) {
    const acked = seqSub(ack, s.sndUna);
    if (seqGt(ack, s.sndNxt)) s.sndNxt = ack; // after a go-back-N rewind, or an accepted window probe
    const dataAcked = Math.min(Math.max(0, seqSub(ack, s.txStart)), s.tx.length);
    const finWasSent = s.finQueued && seqGt(ack, s.finSeq);
    if (dataAcked > 0) {
      s.tx.discard(dataAcked);
      s.txStart = seqAdd(s.txStart, dataAcked);
    }
    if (finWasSent) s.finAcked = true;
    s.sndUna = ack;
    const sample = s.rtt.sampleSeq;
    if (sample !== undefined && seqGe(ack, sample)) s.rtt.completeSample(now);
    s.retries = 0;
    if (s.cc.onNewAck(acked, ack, seqSub(s.sndMax, ack))) {
      s.retransmitNow = true;
      s.rtt.cancelSample();
    }
    s.rtoAt = s.sndNxt !== s.sndUna ? now + s.rtt.rto : Number.POSITIVE_INFINITY;
    s.dirty = true;
    if (dataAcked > 0) s.hooks.onWritable?.();
  } else if (
    ack === s.sndUna &&
    s.sndMax !== s.sndUna &&
    seg.payload.length === 0 &&
    (seg.flags & (SYN | FIN)) === 0 &&
    window === s.sndWnd
  ) {
    s.stats.dupAcksIn++; // RFC 5681 §2: a duplicate ACK
    if (s.cc.onDupAck(s.sndUna, s.sndMax, seqSub(s.sndMax, s.sndUna))) {
      s.retransmitNow = true;
      s.stats.fastRetransmits++;
      s.rtt.cancelSample();
    }
    s.dirty = true;
  }
  if (seqLt(s.sndWl1, seg.seq) || (s.sndWl1 === seg.seq && seqLe(s.sndWl2, ack))) {
    if (window > s.sndWnd) s.dirty = true;
    s.sndWnd = window;
    s.sndWl1 = seg.seq;
    s.sndWl2 = ack;
    s.maxSndWnd = Math.max(s.maxSndWnd, window);
    if (window > 0) {
      s.persistAt = Number.POSITIVE_INFINITY;
      s.persistBackoffs = 0;
    }
  }
  return true;
}

/** Segment text: trim to the window, place it in the ring, let the assembler say what is now in order. */
function onData(s: TcpSocket, seg: TcpRepr): TcpRepr | undefined {
  let data = seg.payload;
  let off = seqSub(seg.seq, s.rcvNxt);
  if (off < 0) {
    data = data.subarray(-off);
    off = 0;
  }
  s.ackPending = true;
  s.dirty = true;
  if (data.length === 0) return s.ackRepr(); // all old: a retransmission we already have
  const hadHoles = !s.assembler.isEmpty;
  const written = s.rx.writeAt(off, data);
  if (written === 0) return s.ackRepr();
  const inOrder = s.assembler.add(off, written);
  if (inOrder < 0) return s.ackRepr(); // reassembly table full: dropped, the peer will resend
  if (inOrder > 0) {
    s.rx.commit(inOrder);
    s.rcvNxt = seqAdd(s.rcvNxt, inOrder);
    s.hooks.onReadable?.();
  }
  // RFC 5681 §4.2: ACK at once for out-of-order data (the dup ACKs drive fast retransmit) and for data
  // that fills a hole.
  if (off > 0) {
    s.stats.outOfOrder++;
    return s.ackRepr();
  }
  if (hadHoles) return s.ackRepr();
  return undefined;
}
