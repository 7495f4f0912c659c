/**
 * The retransmission timeout (RFC 6298): SRTT and RTTVAR from one timed segment at a time, Karn's rule
 * (a sample is taken only from a segment that was never retransmitted; the caller enforces that by
 * `cancelSample` on every retransmission) and exponential backoff on each expiry, undone by the next
 * valid sample.
 */

/** Timer limits, in ms. */
export interface RttOptions {
  /** RTO before any sample (RFC 6298 §2.1: 1 s). */
  readonly initialRto: number;
  /** Floor (RFC 6298 says 1 s; Linux uses 200 ms, and so does this stack by default). */
  readonly minRto: number;
  /** Ceiling (RFC 6298 §2.5 allows ≥ 60 s). */
  readonly maxRto: number;
}

/** Clock granularity G in RFC 6298 terms (ms): our clock is a float, so 1 ms is generous. */
const GRANULARITY = 1;

/** SRTT/RTTVAR/RTO state of one connection. */
export class RttEstimator {
  srtt: number | undefined;
  rttvar = 0;
  private base: number;
  /** Expiries since the last valid sample (each doubles the RTO). */
  backoffs = 0;
  /** The sequence number whose acknowledgment ends the sample in flight, if any. */
  sampleSeq: number | undefined;
  private sampleSentAt = 0;

  constructor(readonly options: RttOptions) {
    this.base = options.initialRto;
  }

  /** The current RTO, backoff included. */
  get rto(): number {
    return Math.min(this.options.maxRto, this.base * 2 ** this.backoffs);
  }

  /** Start timing the segment that ends at `endSeq`, unless a sample is already in flight. */
  startSample(now: number, endSeq: number): void {
    if (this.sampleSeq !== undefined) return;
    this.sampleSeq = endSeq;
    this.sampleSentAt = now;
  }

  /** Karn: a retransmission makes the sample ambiguous. */
  cancelSample(): void {
    this.sampleSeq = undefined;
  }

  /** The ACK covered the timed segment (the caller compares sequence numbers): take the sample. */
  completeSample(now: number): void {
    if (this.sampleSeq === undefined) return;
    this.sampleSeq = undefined;
    this.addSample(Math.max(0, now - this.sampleSentAt));
  }

  /** Feed one measured round trip (ms). */
  addSample(r: number): void {
    if (this.srtt === undefined) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      // alpha = 1/8, beta = 1/4 (RFC 6298 §2.3); RTTVAR first, with the old SRTT.
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    const o = this.options;
    this.base = Math.min(o.maxRto, Math.max(o.minRto, this.srtt + Math.max(GRANULARITY, 4 * this.rttvar)));
    this.backoffs = 0;
  }

  /** The timer expired: back off (RFC 6298 §5.5) and drop the sample in flight (§5 + Karn). */
  backoff(): void {
    if (this.rto < this.options.maxRto) this.backoffs++;
    this.sampleSeq = undefined;
  }
}
