/** Counters of one interface. Plain numbers so tests and benches read them directly. */

import { DROP_REASONS, type DropReason } from "../wire/drop.js";

/** Per-layer drop counters: each frame dropped is counted once, at the layer that dropped it. */
export type DropCounters = Record<DropReason, number>;

/** Everything an interface counts. */
export interface InterfaceStats {
  rxFrames: number;
  txFrames: number;
  /** Transmit attempts the device refused (queue full). */
  txNoBuffer: number;
  drops: {
    ethernet: DropCounters;
    arp: DropCounters;
    ipv4: DropCounters;
    icmp: DropCounters;
    l4: DropCounters;
  };
  /** Datagrams for a protocol with no handler (answered with ICMP protocol unreachable). */
  unknownProtocol: number;
  /** Frames with an EtherType other than IPv4 and ARP. */
  unknownEthertype: number;
  arpRequestsSent: number;
  arpRepliesSent: number;
  /** Resolutions that got no answer after all retries. */
  arpFailures: number;
  /** Frames dropped because their neighbour never resolved. */
  arpQueueDrops: number;
  gratuitousArpsSent: number;
  icmpEchoReplies: number;
  icmpUnreachableSent: number;
  /** ICMP errors not sent because of the rate limit. */
  icmpRateLimited: number;
  icmpReceived: number;
  fragmentsReceived: number;
  datagramsReassembled: number;
  /** Datagrams given up during reassembly (limits, conflicts or timeouts). */
  reassemblyDrops: number;
  fragmentsSent: number;
}

function zeroDrops(): DropCounters {
  const d = {} as DropCounters;
  for (const r of DROP_REASONS) d[r] = 0;
  return d;
}

/** A fresh set of zeroed counters. */
export function newInterfaceStats(): InterfaceStats {
  return {
    rxFrames: 0,
    txFrames: 0,
    txNoBuffer: 0,
    drops: { ethernet: zeroDrops(), arp: zeroDrops(), ipv4: zeroDrops(), icmp: zeroDrops(), l4: zeroDrops() },
    unknownProtocol: 0,
    unknownEthertype: 0,
    arpRequestsSent: 0,
    arpRepliesSent: 0,
    arpFailures: 0,
    arpQueueDrops: 0,
    gratuitousArpsSent: 0,
    icmpEchoReplies: 0,
    icmpUnreachableSent: 0,
    icmpRateLimited: 0,
    icmpReceived: 0,
    fragmentsReceived: 0,
    datagramsReassembled: 0,
    reassemblyDrops: 0,
    fragmentsSent: 0,
  };
}

/** Sum of all drop counters of all layers. */
export function totalDrops(s: InterfaceStats): number {
  let n = 0;
  for (const layer of Object.values(s.drops)) for (const v of Object.values(layer)) n += v;
  return n;
}
