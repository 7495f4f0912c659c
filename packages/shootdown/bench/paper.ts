/**
 * Reference values for the paper's Figure 6 (raw TLB shootdown latency on the 8x4-core AMD, in
 * thousands of cycles at 2.5 GHz), read by eye from the published figure: approximate (about ±1k
 * cycles), for drawing the paper's lines beside ours, never for asserting anything. Figures 7 and 8
 * are not transcribed; docs/shootdown.md describes them in words.
 */
import type { ProtocolName } from "@shoal/agreement";

/** Approximate Figure 6 values: [cores, kilocycles]. */
export const PAPER_FIGURE_6: Readonly<Record<ProtocolName, readonly (readonly [number, number])[]>> = {
  broadcast: [
    [2, 1.5],
    [8, 4],
    [16, 7],
    [32, 13],
  ],
  unicast: [
    [2, 1.5],
    [8, 3],
    [16, 5],
    [32, 9.5],
  ],
  multicast: [
    [2, 1.5],
    [8, 3],
    [16, 3.8],
    [32, 5.5],
  ],
  numa_multicast: [
    [2, 1.5],
    [8, 2.5],
    [16, 2.8],
    [32, 3.2],
  ],
};
