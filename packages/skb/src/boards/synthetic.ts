/**
 * Boards beyond the paper's, for the benchmark's larger core counts: packages of four cores with a
 * shared L3, one NUMA node per package, the nodes on a ladder (two rails, a rung at every step).
 */
import type { BoardSpec } from "./spec.js";

/** A synthetic board of `packages` packages of `coresPerPackage` cores each. */
export function syntheticBoard(packages: number, coresPerPackage = 4): BoardSpec {
  const links: [number, number][] = [];
  const half = Math.ceil(packages / 2);
  // Node i on the first rail (i < half) faces node i + half on the second.
  for (let i = 0; i < half; i++) {
    if (i + 1 < half) links.push([i, i + 1]);
    if (i + half < packages) links.push([i, i + half]);
    if (i + half + 1 < packages) links.push([i + half, i + half + 1]);
  }
  return {
    name: `synthetic-${packages}x${coresPerPackage}`,
    description: `synthetic ${packages}x${coresPerPackage}-core board, shared L3 per package, nodes on a ladder`,
    vendor: "synthetic",
    model: "synthetic",
    mhz: 2000,
    packages,
    coresPerPackage,
    numa: "per-package",
    links: packages > 1 ? links : [],
    linkKind: "hypertransport",
    caches: [
      { level: 2, type: "unified", sizeBytes: 512 * 1024, coresPerInstance: 1 },
      { level: 3, type: "unified", sizeBytes: 8 * 1024 * 1024, coresPerInstance: coresPerPackage },
    ],
    memoryPerNodeBytes: 2 * 1024 * 1024 * 1024,
    rtt: { sharedCache: 430, samePackage: 430, remote: 490, perHop: 20 },
    notes: ["Generated for benchmarks; not a real machine."],
  };
}
