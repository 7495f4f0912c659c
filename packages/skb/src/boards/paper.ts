/**
 * The four machines of the Barrelfish paper (SOSP'09, §2 and §5), as board specs. Core counts,
 * packages, NUMA layout, cache sharing and the interconnect shape follow the paper's descriptions;
 * memory sizes and the round-trip model are illustrative (the model only has to order core pairs
 * the way the hardware does: a shared cache, then one package, then more hops).
 */
import type { BoardSpec } from "./spec.js";

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

/** 2x4-core Intel Xeon X5355: two dies per package, each pair of cores sharing a 4 MB L2; one FSB. */
export const INTEL_2X4: BoardSpec = {
  name: "intel-2x4",
  description: "2x4-core Intel Xeon X5355 (2.66 GHz), shared L2 per core pair, front-side bus (UMA)",
  vendor: "GenuineIntel",
  model: "Intel Xeon X5355",
  mhz: 2660,
  packages: 2,
  coresPerPackage: 4,
  numa: "single",
  links: [],
  linkKind: "fsb",
  caches: [
    { level: 1, type: "data", sizeBytes: 32 * KIB, coresPerInstance: 1 },
    { level: 1, type: "instruction", sizeBytes: 32 * KIB, coresPerInstance: 1 },
    { level: 2, type: "unified", sizeBytes: 4 * MIB, coresPerInstance: 2 },
  ],
  memoryPerNodeBytes: 8 * GIB,
  rtt: { sharedCache: 140, samePackage: 430, remote: 430, perHop: 0 },
  notes: ["One memory controller behind the front-side bus: one NUMA node, every package 0 hops away."],
};

/** 2x2-core AMD Opteron 2220: private 1 MB L2 per core, two nodes one HyperTransport hop apart. */
export const AMD_2X2: BoardSpec = {
  name: "amd-2x2",
  description: "2x2-core AMD Opteron 2220 (2.8 GHz), private L2, 2 NUMA nodes over one HyperTransport link",
  vendor: "AuthenticAMD",
  model: "AMD Opteron 2220",
  mhz: 2800,
  packages: 2,
  coresPerPackage: 2,
  numa: "per-package",
  links: [[0, 1]],
  linkKind: "hypertransport",
  caches: [
    { level: 1, type: "data", sizeBytes: 64 * KIB, coresPerInstance: 1 },
    { level: 1, type: "instruction", sizeBytes: 64 * KIB, coresPerInstance: 1 },
    { level: 2, type: "unified", sizeBytes: 1 * MIB, coresPerInstance: 1 },
  ],
  memoryPerNodeBytes: 4 * GIB,
  rtt: { sharedCache: 320, samePackage: 320, remote: 380, perHop: 40 },
  notes: ["The two cores of a package share no cache: same-package messages go through the on-die crossbar."],
};

/** 4x4-core AMD Opteron 8350: shared 2 MB L3 per package, four nodes in a square (diagonals 2 hops). */
export const AMD_4X4: BoardSpec = {
  name: "amd-4x4",
  description:
    "4x4-core AMD Opteron 8350 (2.0 GHz), shared L3 per package, 4 NUMA nodes in a HyperTransport square",
  vendor: "AuthenticAMD",
  model: "AMD Opteron 8350",
  mhz: 2000,
  packages: 4,
  coresPerPackage: 4,
  numa: "per-package",
  links: [
    [0, 1],
    [0, 2],
    [1, 3],
    [2, 3],
  ],
  linkKind: "hypertransport",
  caches: [
    { level: 1, type: "data", sizeBytes: 64 * KIB, coresPerInstance: 1 },
    { level: 1, type: "instruction", sizeBytes: 64 * KIB, coresPerInstance: 1 },
    { level: 2, type: "unified", sizeBytes: 512 * KIB, coresPerInstance: 1 },
    { level: 3, type: "unified", sizeBytes: 2 * MIB, coresPerInstance: 4 },
  ],
  memoryPerNodeBytes: 4 * GIB,
  rtt: { sharedCache: 450, samePackage: 450, remote: 545, perHop: 15 },
  notes: ["Links: 0-1, 0-2, 1-3, 2-3 (AMD's 4P 'quartet'); 0-3 and 1-2 are two hops."],
};

/**
 * 8x4-core AMD Opteron 8380: shared 6 MB L3 per package, eight nodes on the HyperTransport
 * interconnect of the paper's Figure 2, read as a twisted ladder (two rails of four nodes, rungs at
 * the ends, the middle rungs crossed), at most three hops between two nodes.
 */
export const AMD_8X4: BoardSpec = {
  name: "amd-8x4",
  description:
    "8x4-core AMD Opteron 8380 (2.5 GHz), shared L3 per package, 8 NUMA nodes, HyperTransport (Figure 2)",
  vendor: "AuthenticAMD",
  model: "AMD Opteron 8380",
  mhz: 2500,
  packages: 8,
  coresPerPackage: 4,
  numa: "per-package",
  links: [
    [0, 1],
    [0, 2],
    [1, 3],
    [2, 4],
    [2, 5],
    [3, 4],
    [3, 5],
    [4, 6],
    [5, 7],
    [6, 7],
  ],
  linkKind: "hypertransport",
  caches: [
    { level: 1, type: "data", sizeBytes: 64 * KIB, coresPerInstance: 1 },
    { level: 1, type: "instruction", sizeBytes: 64 * KIB, coresPerInstance: 1 },
    { level: 2, type: "unified", sizeBytes: 512 * KIB, coresPerInstance: 1 },
    { level: 3, type: "unified", sizeBytes: 6 * MIB, coresPerInstance: 4 },
  ],
  memoryPerNodeBytes: 2 * GIB,
  rtt: { sharedCache: 430, samePackage: 430, remote: 490, perHop: 20 },
  notes: [
    "Links as read from the paper's Figure 2: rails 0-2-4-6 and 1-3-5-7 with the middle rungs crossed",
    "(2-5, 3-4) and rungs 0-1, 6-7 at the ends; at most three hops between two nodes.",
  ],
};

/** The paper's boards by name. */
export const PAPER_BOARDS: readonly BoardSpec[] = [INTEL_2X4, AMD_2X2, AMD_4X4, AMD_8X4];
