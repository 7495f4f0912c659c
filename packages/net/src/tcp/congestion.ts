/**
 * NewReno congestion control: slow start and congestion avoidance (RFC 5681), fast retransmit on the
 * third duplicate ACK, and fast recovery with partial ACKs (RFC 6582). The socket tells it what the ACKs
 * said; it answers with `cwnd` and whether to retransmit the first unacknowledged segment now.
 */

import { seqGe, seqGt } from "./seq.js";

/** The dup-ACK threshold (RFC 5681 §3.2). */
export const DUP_ACK_THRESHOLD = 3;

/** Congestion state of one connection. */
export class NewReno {
  cwnd: number;
  ssthresh = Number.POSITIVE_INFINITY;
  dupAcks = 0;
  inRecovery = false;
  /** RFC 6582 `recover`: the highest sequence sent when recovery (or a timeout) began. */
  recover: number;
  /** Bytes acked in congestion avoidance not yet turned into cwnd growth (RFC 5681 §3.1 byte counting). */
  private avoidanceCredit = 0;

  constructor(
    private mss: number,
    iss: number,
  ) {
    this.cwnd = NewReno.initialWindow(mss);
    this.recover = iss;
  }

  /** RFC 6928's initial window: min(10·MSS, max(2·MSS, 14600)). */
  static initialWindow(mss: number): number {
    return Math.min(10 * mss, Math.max(2 * mss, 14600));
  }

  /** The MSS became known (after the handshake). */
  setMss(mss: number): void {
    this.mss = mss;
    this.cwnd = NewReno.initialWindow(mss);
  }

  /**
   * An ACK advanced SND.UNA by `acked` bytes to `ack`. Returns true when a partial ACK in recovery wants
   * the next unacknowledged segment retransmitted now.
   */
  onNewAck(acked: number, ack: number, flight: number): boolean {
    this.dupAcks = 0;
    if (this.inRecovery) {
      if (seqGe(ack, this.recover)) {
        // Full ACK (RFC 6582 §3.2 step 3): deflate to min(ssthresh, FlightSize + MSS).
        this.inRecovery = false;
        this.cwnd = Math.min(this.ssthresh, Math.max(flight, this.mss) + this.mss);
        return false;
      }
      // Partial ACK (step 4): retransmit, deflate by the amount acked, add back one MSS if ≥ MSS.
      this.cwnd = Math.max(this.mss, this.cwnd - acked + (acked >= this.mss ? this.mss : 0));
      return true;
    }
    if (this.cwnd < this.ssthresh) {
      this.cwnd += Math.min(acked, this.mss); // slow start, at most one MSS per ACK (RFC 5681 §3.1)
    } else {
      this.avoidanceCredit += acked;
      if (this.avoidanceCredit >= this.cwnd) {
        this.avoidanceCredit -= this.cwnd;
        this.cwnd += this.mss;
      }
    }
    return false;
  }

  /**
   * A duplicate ACK (RFC 5681 §2's definition, checked by the caller). Returns true on the one that
   * triggers fast retransmit. `sndUna` and `sndMax` are the current SND.UNA and highest sequence sent.
   */
  onDupAck(sndUna: number, sndMax: number, flight: number): boolean {
    this.dupAcks++;
    if (this.inRecovery) {
      this.cwnd += this.mss; // inflate: a segment left the network
      return false;
    }
    // RFC 6582 §3.2 step 1: only when the dup ACKs cover more than `recover` (not left over from the
    // previous recovery or timeout).
    if (this.dupAcks === DUP_ACK_THRESHOLD && seqGt(sndUna, this.recover)) {
      this.inRecovery = true;
      this.recover = sndMax;
      this.ssthresh = Math.max(flight / 2, 2 * this.mss);
      this.cwnd = this.ssthresh + DUP_ACK_THRESHOLD * this.mss;
      return true;
    }
    return false;
  }

  /** The retransmission timer expired (RFC 5681 §3.1 eq. 4, RFC 6582 §3.2 step 5's `recover`). */
  onTimeout(flight: number, sndMax: number): void {
    this.ssthresh = Math.max(flight / 2, 2 * this.mss);
    this.cwnd = this.mss;
    this.dupAcks = 0;
    this.inRecovery = false;
    this.recover = sndMax;
    this.avoidanceCredit = 0;
  }
}
