/**
 * IPv4 fragment reassembly (RFC 791 §3.2, RFC 815's hole idea as a sorted list of received ranges) with
 * hard limits: datagrams in progress, bytes held, and a timeout after the first fragment. When a limit
 * is hit the oldest datagram in progress is dropped, as lwIP does, so a flood of first fragments cannot
 * starve newer traffic forever nor grow memory. Overlaps are accepted (later bytes win); a fragment
 * ending past a known end, or a second "last fragment" disagreeing on the length, drops the datagram.
 */

import { IP_HEADER_LEN, IP_MAX_DATAGRAM, type Ipv4Repr } from "../wire/ipv4.js";

/** Reassembly limits. */
export interface ReassemblyOptions {
  /** Datagrams reassembled at once (default 16). */
  readonly maxDatagrams?: number;
  /** Total payload bytes held across datagrams (default 256 KiB). */
  readonly maxBytes?: number;
  /** Time from the first fragment until the datagram is given up (default 15 s; RFC 791 suggests 15). */
  readonly timeoutMs?: number;
}

interface Pending {
  readonly deadline: number;
  buf: Uint8Array;
  /** Received [start, end) ranges, sorted and merged. */
  ranges: number[];
  /** Payload length once the last fragment arrived, else -1. */
  total: number;
}

/** The result of adding one fragment. */
export type ReassemblyResult =
  | { readonly kind: "complete"; readonly payload: Uint8Array }
  | { readonly kind: "pending" }
  | { readonly kind: "dropped"; readonly datagrams: number };

/** The reassembly buffers of one interface. */
export class Reassembler {
  readonly options: Required<ReassemblyOptions>;
  private readonly pending = new Map<string, Pending>();
  private heldBytes = 0;

  constructor(options: ReassemblyOptions = {}) {
    this.options = {
      maxDatagrams: options.maxDatagrams ?? 16,
      maxBytes: options.maxBytes ?? 256 * 1024,
      timeoutMs: options.timeoutMs ?? 15_000,
    };
  }

  /** Add a fragment (`payload` is its data, a view the reassembler copies from). */
  add(now: number, ip: Ipv4Repr, payload: Uint8Array): ReassemblyResult {
    const key = `${ip.src}/${ip.dst}/${ip.protocol}/${ip.ident}`;
    const start = ip.fragmentOffset;
    const end = start + payload.length;
    let dropped = 0;
    let p = this.pending.get(key);
    if (p === undefined) {
      while (this.pending.size >= this.options.maxDatagrams) dropped += this.dropOldest();
      p = { deadline: now + this.options.timeoutMs, buf: new Uint8Array(0), ranges: [], total: -1 };
      this.pending.set(key, p);
    }
    const lengthConflict =
      (p.total >= 0 && end > p.total) ||
      (!ip.moreFragments && p.total >= 0 && end !== p.total) ||
      (!ip.moreFragments && p.ranges.length > 0 && (p.ranges[p.ranges.length - 1] as number) > end) ||
      end > IP_MAX_DATAGRAM - IP_HEADER_LEN;
    if (lengthConflict) {
      this.remove(key, p);
      return { kind: "dropped", datagrams: dropped + 1 };
    }
    if (!ip.moreFragments) p.total = end;
    if (end > p.buf.length) {
      const grow = Math.min(IP_MAX_DATAGRAM, Math.max(end, p.buf.length * 2)) - p.buf.length;
      while (this.heldBytes + grow > this.options.maxBytes && this.pending.size > 1) {
        dropped += this.dropOldestExcept(key);
      }
      if (this.heldBytes + grow > this.options.maxBytes) {
        this.remove(key, p);
        return { kind: "dropped", datagrams: dropped + 1 };
      }
      const nb = new Uint8Array(p.buf.length + grow);
      nb.set(p.buf);
      p.buf = nb;
      this.heldBytes += grow;
    }
    p.buf.set(payload, start);
    p.ranges = mergeRange(p.ranges, start, end);
    if (p.total >= 0 && p.ranges.length === 2 && p.ranges[0] === 0 && p.ranges[1] === p.total) {
      this.remove(key, p);
      return { kind: "complete", payload: p.buf.subarray(0, p.total) };
    }
    return dropped > 0 ? { kind: "dropped", datagrams: dropped } : { kind: "pending" };
  }

  /** Drop datagrams past their deadline; returns how many. */
  expire(now: number): number {
    let n = 0;
    for (const [key, p] of this.pending) {
      if (p.deadline <= now) {
        this.remove(key, p);
        n++;
      }
    }
    return n;
  }

  /** The earliest deadline. */
  pollAt(): number {
    let t = Number.POSITIVE_INFINITY;
    for (const p of this.pending.values()) if (p.deadline < t) t = p.deadline;
    return t;
  }

  /** Datagrams in progress. */
  get size(): number {
    return this.pending.size;
  }

  /** Payload bytes held. */
  get bytes(): number {
    return this.heldBytes;
  }

  private remove(key: string, p: Pending): void {
    this.pending.delete(key);
    this.heldBytes -= p.buf.length;
  }

  private dropOldest(): number {
    const first = this.pending.entries().next();
    if (first.done === true) return 0;
    this.remove(first.value[0], first.value[1]);
    return 1;
  }

  private dropOldestExcept(keep: string): number {
    for (const [key, p] of this.pending) {
      if (key !== keep) {
        this.remove(key, p);
        return 1;
      }
    }
    return 0;
  }
}

/** Insert [start, end) into sorted, merged ranges (flat [s0, e0, s1, e1, ...]). */
function mergeRange(ranges: number[], start: number, end: number): number[] {
  if (end <= start) return ranges;
  const out: number[] = [];
  let s = start;
  let e = end;
  let placed = false;
  for (let i = 0; i < ranges.length; i += 2) {
    const rs = ranges[i] as number;
    const re = ranges[i + 1] as number;
    if (re < s) {
      out.push(rs, re);
    } else if (rs > e) {
      if (!placed) {
        out.push(s, e);
        placed = true;
      }
      out.push(rs, re);
    } else {
      s = Math.min(s, rs);
      e = Math.max(e, re);
    }
  }
  if (!placed) out.push(s, e);
  return out;
}
