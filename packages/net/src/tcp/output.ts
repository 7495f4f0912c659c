/**
 * What a socket sends, and when: the SYN/SYN-ACK, data within min(send window, cwnd) with sender SWS
 * avoidance, the FIN, retransmissions (RFC 6298 timer with go-back-N from SND.UNA on expiry; one segment
 * at SND.UNA for fast retransmit and NewReno partial ACKs), zero-window probes (persist timer),
 * keep-alives, TIME-WAIT expiry, and bare ACKs / window updates.
 */

import { ourShift } from "./input.js";
import { ACK, FIN, PSH, RST, SYN, Tcp, type TcpRepr } from "./segment.js";
import { seqAdd, seqGe, seqMax, seqSub } from "./seq.js";
import { isSynchronized, type TcpEmit, type TcpSocket } from "./socket.js";

/** Segments one dispatch may send back to back (the rest go at the next poll). */
const BURST = 64;
/** How long to wait before retrying after the interface refused a segment (no buffer). */
const RETRY_MS = 1;

/** See `TcpSocket.dispatch`. */
export function dispatchSocket(s: TcpSocket, now: number, emit: TcpEmit): void {
  s.dirty = false;
  s.retryAt = Number.POSITIVE_INFINITY;
  dispatchDue(s, now, emit);
  // A refused emit marked retryAt; make it absolute so pollAt answers the same time until then.
  if (s.retryAt < 0) s.retryAt = now + RETRY_MS;
}

function dispatchDue(s: TcpSocket, now: number, emit: TcpEmit): void {
  const rst = s.rstPending;
  if (rst !== undefined) {
    s.rstPending = undefined;
    send(s, emit, header(s, rst.seq, RST | ACK, 0, rst.ack));
    return;
  }
  switch (s.state) {
    case "CLOSED":
    case "LISTEN":
      return;
    case "TIME-WAIT":
      if (now >= s.timeWaitAt) s.finish(undefined);
      else if (s.ackPending) send(s, emit, s.ackRepr());
      return;
    default:
      break;
  }
  if (!timers(s, now, emit)) return;
  if (s.state === "SYN-SENT" || s.state === "SYN-RECEIVED") {
    if (s.sndNxt === s.iss) sendSyn(s, now, emit);
    return;
  }
  let sent = 0;
  if (s.retransmitNow) {
    s.retransmitNow = false;
    if (retransmitFirst(s, now, emit)) sent++;
  }
  while (sent < BURST && sendNext(s, now, emit)) sent++;
  if (sent >= BURST) s.dirty = true;
  if (sent === 0 && s.ackPending && s.retryAt === Number.POSITIVE_INFINITY) send(s, emit, s.ackRepr());
}

/** Run the retransmission, persist and keep-alive timers; false when the connection was given up. */
function timers(s: TcpSocket, now: number, emit: TcpEmit): boolean {
  if (now >= s.rtoAt) {
    const flight = seqSub(s.sndMax, s.sndUna);
    if (flight === 0) s.rtoAt = Number.POSITIVE_INFINITY;
    else {
      if (++s.retries > s.config.maxRetries) {
        s.rstPending = { seq: s.sndNxt, ack: s.rcvNxt };
        s.finish("TIMEOUT");
        dispatchDue(s, now, emit);
        return false;
      }
      s.stats.timeouts++;
      s.cc.onTimeout(flight, s.sndMax);
      s.rtt.backoff();
      s.retransmitNow = false;
      s.sndNxt = s.sndUna; // go back N: everything after SND.UNA is presumed lost
      s.rtoAt = Number.POSITIVE_INFINITY; // re-armed, backed off, by the retransmission
    }
  }
  if (!isSynchronized(s.state)) return true;
  const unsent = seqSub(s.txStart, s.sndNxt) + s.tx.length > 0 || (s.finQueued && s.sndNxt === s.finSeq);
  if (s.sndWnd === 0 && unsent && s.sndNxt === s.sndUna) {
    if (s.persistAt === Number.POSITIVE_INFINITY) s.persistAt = now + s.rtt.rto;
    else if (now >= s.persistAt) {
      probeWindow(s, now, emit);
      s.persistBackoffs++;
      s.persistAt = now + Math.min(s.config.maxRto, s.rtt.rto * 2 ** s.persistBackoffs);
    }
  } else {
    s.persistAt = Number.POSITIVE_INFINITY;
    s.persistBackoffs = 0;
  }
  const due = keepAliveDue(s);
  if (now >= due) {
    if (s.keepAliveProbes >= s.config.keepAliveCount) {
      s.finish("TIMEOUT");
      return false;
    }
    s.keepAliveProbes++;
    // SEG.SEQ = SND.NXT - 1: outside the peer's window, so it must answer with an ACK (RFC 9293 §3.8.4).
    send(s, emit, header(s, seqAdd(s.sndNxt, -1), ACK, s.windowField(false)));
  }
  return true;
}

/** When the next keep-alive probe is due (Infinity when keep-alive is off or data is outstanding). */
export function keepAliveDue(s: TcpSocket): number {
  const c = s.config;
  if (c.keepAliveIdle === 0 || (s.state !== "ESTABLISHED" && s.state !== "CLOSE-WAIT")) {
    return Number.POSITIVE_INFINITY;
  }
  if (s.sndMax !== s.sndUna || s.tx.length > 0) return Number.POSITIVE_INFINITY;
  return s.lastRecvAt + c.keepAliveIdle + s.keepAliveProbes * c.keepAliveInterval;
}

function header(s: TcpSocket, seq: number, flags: number, window: number, ack = s.rcvNxt): TcpRepr {
  return { srcPort: s.local.port, dstPort: s.remote.port, seq, ack, flags, window, payload: Tcp.EMPTY };
}

function send(s: TcpSocket, emit: TcpEmit, repr: TcpRepr): boolean {
  s.stamp(repr);
  if (emit(repr)) {
    s.stats.segmentsOut++;
    return true;
  }
  s.stats.emitFailures++;
  s.retryAt = -1; // dispatchSocket turns this into now + RETRY_MS; the next dispatch clears it
  if ((repr.flags & ACK) !== 0) s.ackPending = true;
  return false;
}

function sendSyn(s: TcpSocket, now: number, emit: TcpEmit): void {
  const synAck = s.state === "SYN-RECEIVED";
  const c = s.config;
  // SYN-ACK: options only as the peer's SYN offered them (RFC 7323 §1.3); SYN: what we support.
  const scale = c.windowScaling && (!synAck || s.peerOfferedScale);
  const repr: TcpRepr = {
    ...header(s, s.iss, synAck ? SYN | ACK : SYN, s.windowField(true)),
    mss: s.linkMss,
    ...(scale ? { windowScale: synAck ? s.rcvShift : ourShift(s.rx.capacity) } : {}),
    ...(c.sackPermitted ? { sackPermitted: true } : {}),
  };
  const retransmission = seqGe(s.sndMax, seqAdd(s.iss, 1));
  if (!send(s, emit, repr)) return;
  if (retransmission) s.stats.retransmits++;
  else s.rtt.startSample(now, seqAdd(s.iss, 1));
  s.sndNxt = seqAdd(s.iss, 1);
  s.sndMax = seqMax(s.sndMax, s.sndNxt);
  if (s.rtoAt === Number.POSITIVE_INFINITY) s.rtoAt = now + s.rtt.rto;
}

/** Fast retransmit / partial ACK: the segment at SND.UNA, at most one MSS of what was already sent. */
function retransmitFirst(s: TcpSocket, now: number, emit: TcpEmit): boolean {
  const limit = Math.min(s.sendMss, seqSub(s.sndMax, s.sndUna));
  if (limit <= 0) return false;
  const off = seqSub(s.sndUna, s.txStart);
  const view = s.tx.contiguous(off, limit);
  const fin = s.finQueued && seqAdd(s.sndUna, view.length) === s.finSeq && view.length < limit;
  if (view.length === 0 && !fin) return false;
  const repr = { ...header(s, s.sndUna, ACK | (fin ? FIN : 0), s.windowField(false)), payload: view };
  if (!send(s, emit, repr)) return false;
  s.stats.retransmits++;
  if (s.rtoAt === Number.POSITIVE_INFINITY) s.rtoAt = now + s.rtt.rto;
  return true;
}

/** One new (or, after a timeout, re-sent) segment from SND.NXT if the windows allow. */
function sendNext(s: TcpSocket, now: number, emit: TcpEmit): boolean {
  const off = seqSub(s.sndNxt, s.txStart);
  const remaining = s.tx.length - off;
  const finNext = s.finQueued && s.sndNxt === s.finSeq;
  if (remaining <= 0 && !finNext) return false;
  const flight = seqSub(s.sndNxt, s.sndUna);
  const usable = Math.min(s.sndWnd, s.cc.cwnd) - flight;
  const want = Math.min(remaining, s.sendMss);
  let len = Math.max(0, Math.min(want, usable));
  // Sender SWS avoidance (RFC 9293 §3.8.6.2.1): a window-limited runt waits for a bigger opening unless
  // nothing is in flight (then no ACK would come to open it) or it is half the largest window seen.
  if (len > 0 && len < want && flight > 0 && len < s.maxSndWnd / 2) len = 0;
  const view = len > 0 ? s.tx.contiguous(off, len) : Tcp.EMPTY;
  len = view.length;
  const fin = s.finQueued && seqAdd(s.sndNxt, len) === s.finSeq && (len > 0 || finNext);
  if (len === 0 && !fin) return false;
  const push = len > 0 && len === remaining ? PSH : 0;
  const repr = { ...header(s, s.sndNxt, ACK | push | (fin ? FIN : 0), s.windowField(false)), payload: view };
  if (!send(s, emit, repr)) return false;
  const fresh = seqGe(s.sndNxt, s.sndMax);
  s.sndNxt = seqAdd(s.sndNxt, len + (fin ? 1 : 0));
  if (fresh) s.rtt.startSample(now, s.sndNxt);
  else s.stats.retransmits++;
  s.sndMax = seqMax(s.sndMax, s.sndNxt);
  if (s.rtoAt === Number.POSITIVE_INFINITY) s.rtoAt = now + s.rtt.rto;
  return true;
}

/** A zero-window probe: the next byte beyond the window, SND.NXT left where it is. */
function probeWindow(s: TcpSocket, _now: number, emit: TcpEmit): void {
  const off = seqSub(s.sndNxt, s.txStart);
  const view = s.tx.contiguous(off, 1);
  const fin = view.length === 0 && s.finQueued;
  const repr = { ...header(s, s.sndNxt, ACK | (fin ? FIN : 0), s.windowField(false)), payload: view };
  if (send(s, emit, repr)) s.sndMax = seqMax(s.sndMax, seqAdd(s.sndNxt, view.length + (fin ? 1 : 0)));
}

/** See `TcpSocket.pollAt`. */
export function socketPollAt(s: TcpSocket, now: number): number {
  if (s.rstPending !== undefined) return now;
  if (s.state === "CLOSED" || s.state === "LISTEN") return Number.POSITIVE_INFINITY;
  // After a refused emit, wait a little rather than spin on a full device queue.
  if (s.retryAt !== Number.POSITIVE_INFINITY) return Math.min(s.retryAt, s.rtoAt, s.timeWaitAt);
  if (s.dirty || s.ackPending || s.retransmitNow) return now;
  if (s.state === "TIME-WAIT") return s.timeWaitAt;
  const t = Math.min(s.rtoAt, s.persistAt, keepAliveDue(s));
  // A zero window with data waiting arms the persist timer at the next dispatch.
  if (s.sndWnd === 0 && s.persistAt === Number.POSITIVE_INFINITY && isSynchronized(s.state)) {
    if (s.tx.length > 0 || s.finQueued) return Math.min(t, now + s.rtt.rto);
  }
  return t;
}
