/**
 * The simulator's machine: which core is on which package and NUMA node, how many HyperTransport hops
 * apart the nodes are, and what a message costs. The 8x4-core AMD model is calibrated from the
 * paper's Table 2 (URPC one-way latency on that machine: 538 cycles between cores sharing an L3,
 * 613 one hop apart, 618 two hops; three hops extrapolated at +5) and its broadcast discussion (a line
 * that N receivers read is transferred N times, one after the other). See docs/shootdown.md.
 */
import { AMD_8X4, type BoardSpec, hopMatrix } from "@shoal/skb";

/** What messages cost, in cycles of the modelled clock. */
export interface CostModel {
  readonly name: string;
  /** Cycles per nanosecond (the clock in GHz). */
  readonly ghz: number;
  /** One-way URPC latency by interconnect hops between the two cores' nodes: [same node, 1, 2, 3...]. */
  readonly latencyByHops: readonly number[];
  /** Sender busy time to write one message line (the pipelined cost of a send). */
  readonly sendCycles: number;
  /** Receiver busy time to take one message out of its channel and dispatch it. */
  readonly recvCycles: number;
  /** Local TLB invalidation: a fixed part plus one INVLPG per page. */
  readonly invalidateCycles: number;
  readonly invalidatePerPageCycles: number;
  /** A shared line read by several cores: each further reader waits this fraction of its transfer. */
  readonly lineOccupancy: number;
  /**
   * Extra latency per hop between a channel's buffer node and its receiver's node (Table 2's one-hop
   * increment); a channel's buffer is where the route table says, else on the initiator's node.
   */
  readonly remoteBufferPerHop: number;
  /** Random spread of every latency, as a fraction (seeded). */
  readonly jitter: number;
  /** How long the monitors take to notice a dead core and tell the others. */
  readonly deathDetectCycles: number;
}

/** The 8x4-core AMD Opteron 8380 of the paper, 2.5 GHz. */
export const AMD_8X4_COSTS: CostModel = {
  name: "amd-8x4",
  ghz: 2.5,
  latencyByHops: [538, 613, 618, 623],
  sendCycles: 180,
  recvCycles: 181,
  invalidateCycles: 100,
  invalidatePerPageCycles: 20,
  lineOccupancy: 1,
  remoteBufferPerHop: 75,
  jitter: 0.04,
  deathDetectCycles: 20_000,
};

/** Where the cores are. */
export interface SimTopology {
  readonly cores: number;
  readonly packageOf: readonly number[];
  readonly nodeOf: readonly number[];
  /** Hops between nodes. */
  readonly nodeHops: readonly (readonly number[])[];
}

/** The topology of a board spec of @shoal/skb (the same spec its board file was generated from). */
export function topologyOfBoard(spec: BoardSpec = AMD_8X4): SimTopology {
  const cores = spec.packages * spec.coresPerPackage;
  const packageOf = Array.from({ length: cores }, (_, c) => Math.floor(c / spec.coresPerPackage));
  const perPackage = spec.numa === "per-package";
  return {
    cores,
    packageOf,
    nodeOf: packageOf.map((p) => (perPackage ? p : 0)),
    nodeHops: perPackage ? hopMatrix(spec.packages, spec.links) : [[0]],
  };
}

/** Hops between the nodes of two cores. */
export function coreHops(topo: SimTopology, a: number, b: number): number {
  return topo.nodeHops[topo.nodeOf[a] ?? 0]?.[topo.nodeOf[b] ?? 0] ?? 0;
}

/** Hops between two nodes. */
export function nodeHops(topo: SimTopology, a: number, b: number): number {
  return topo.nodeHops[a]?.[b] ?? 0;
}

/** The modelled one-way latency between two cores, in cycles. */
export function latencyCycles(model: CostModel, topo: SimTopology, a: number, b: number): number {
  const h = coreHops(topo, a, b);
  const table = model.latencyByHops;
  return table[Math.min(h, table.length - 1)] ?? 0;
}
