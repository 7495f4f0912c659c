/**
 * ICMP on an interface: answer echo requests, pass destination-unreachable errors to the transport whose
 * datagram they quote, and build destination-unreachable errors for datagrams nobody takes. Errors are
 * never sent about broadcasts or datagrams from 0.0.0.0 (RFC 1122 §3.2.2), nor about ICMP messages (a
 * datagram for protocol ICMP is handled here, never reported).
 */

import { readU32 } from "../wire/address.js";
import { isDrop } from "../wire/drop.js";
import {
  ICMP_HEADER_LEN,
  Icmp,
  UNREACH_FRAG_NEEDED,
  UNREACH_HOST,
  UNREACH_NET,
  UNREACH_PORT,
  UNREACH_PROTOCOL,
} from "../wire/icmp.js";
import {
  IP_DST,
  IP_HEADER_LEN,
  IP_PROTO_ICMP,
  IP_PROTOCOL,
  IP_SRC,
  IP_TTL,
  type Ipv4Repr,
} from "../wire/ipv4.js";
import type { Interface } from "./interface.js";
import type { IcmpErrorKind, L4Handler } from "./l4.js";

/** Bytes of the offending datagram's payload quoted after its header (RFC 792: 64 bits). */
const QUOTED_PAYLOAD = 8;

function errorKind(code: number): IcmpErrorKind | undefined {
  switch (code) {
    case UNREACH_PORT:
      return "port-unreachable";
    case UNREACH_PROTOCOL:
      return "protocol-unreachable";
    case UNREACH_NET:
    case UNREACH_HOST:
      return "host-unreachable";
    case UNREACH_FRAG_NEEDED:
      return "frag-needed";
    default:
      return undefined;
  }
}

/** Handle one ICMP message addressed to this host. */
export function receiveIcmp(
  iface: Interface,
  ip: Ipv4Repr,
  body: Uint8Array,
  unicast: boolean,
  handlers: ReadonlyMap<number, L4Handler>,
): void {
  iface.stats.icmpReceived++;
  const m = Icmp.parse(body);
  if (isDrop(m)) {
    iface.drop("icmp", m);
    return;
  }
  if (m.kind === "echo-request") {
    // Broadcast pings are ignored, as Linux does by default (icmp_echo_ignore_broadcasts).
    if (!unicast) return;
    const r = iface.emit({ src: iface.ip, dst: ip.src, protocol: IP_PROTO_ICMP }, body.length, (buf) =>
      Icmp.emit({ kind: "echo-reply", ident: m.ident, seq: m.seq, data: m.data }, buf),
    );
    if (r === "sent" || r === "queued") iface.stats.icmpEchoReplies++;
    return;
  }
  if (m.kind === "dest-unreachable") {
    const q = m.data;
    if (q.length < IP_HEADER_LEN || (q[0] as number) >>> 4 !== 4) {
      iface.drop("icmp", "truncated");
      return;
    }
    const ihl = ((q[0] as number) & 0x0f) * 4;
    if (ihl < IP_HEADER_LEN || ihl > q.length) {
      iface.drop("icmp", "bad-length");
      return;
    }
    const kind = errorKind(m.code);
    const protocol = q[IP_PROTOCOL] as number;
    const h = handlers.get(protocol);
    if (kind === undefined || h?.icmpError === undefined) return;
    const quotedIp = { src: readU32(q, IP_SRC), dst: readU32(q, IP_DST), protocol, ttl: q[IP_TTL] as number };
    h.icmpError(iface.now, kind, quotedIp, q.subarray(ihl));
  }
}

/**
 * A token bucket for ICMP errors (RFC 1812 §4.3.2.8, Linux's icmp_ratelimit): a port scan or a flood to a
 * closed port must not turn the stack into a reflector. Echo replies are not limited.
 */
export class IcmpRateLimit {
  private tokens: number;
  private last = Number.NEGATIVE_INFINITY;

  /** `perSecond` errors on average, bursts of up to `burst`. */
  constructor(
    readonly perSecond: number,
    readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Take a token at `now` (ms); false when the bucket is empty. */
  take(now: number): boolean {
    if (this.last !== Number.NEGATIVE_INFINITY) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
    }
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Send a destination-unreachable error about the datagram `header` + `body` (after reassembly). */
export function sendUnreachable(
  iface: Interface,
  code: number,
  ip: Ipv4Repr,
  header: Uint8Array,
  body: Uint8Array,
): void {
  if (ip.src === 0) return;
  if (!iface.icmpLimit.take(iface.now)) {
    iface.stats.icmpRateLimited++;
    return;
  }
  const quoted = Math.min(QUOTED_PAYLOAD, body.length);
  const data = new Uint8Array(header.length + quoted);
  data.set(header);
  data.set(body.subarray(0, quoted), header.length);
  const r = iface.emit(
    { src: iface.ip, dst: ip.src, protocol: IP_PROTO_ICMP },
    ICMP_HEADER_LEN + data.length,
    (buf) => Icmp.emit({ kind: "dest-unreachable", code, data }, buf),
  );
  if (r === "sent" || r === "queued") iface.stats.icmpUnreachableSent++;
}
