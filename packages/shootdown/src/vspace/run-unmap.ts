/**
 * End-to-end unmap and protect on booted cores: runs the unmap domain (a home on core 0 and a
 * dispatcher of the same domain on every other core) over monitors that shoot down with `routes`, and
 * returns its timings, measured in the domain from libshoal's `vspace.unmap` / `vspace.protect` call
 * to its return.
 */
import type { RouteTable } from "@shoal/agreement";
import { benchDomainPath, type DomainBenchOptions, runBenchDomain } from "./run-domain.js";
import { UNMAP_PREFIX, type UnmapReport } from "./unmap-domain.js";

/** Options of {@link runUnmapBench}. */
export type UnmapBenchOptions = DomainBenchOptions;

/** What a run measured. */
export interface UnmapBenchResult extends UnmapReport {
  readonly bootMs: number;
}

/** The built unmap domain (cores load built JavaScript). */
export function unmapDomainPath(): string {
  return benchDomainPath("unmap");
}

/** Boots `routes.cores.length` cores (routes over cores 0..N-1), runs the unmap domain, halts. */
export function runUnmapBench(
  routes: RouteTable,
  options: UnmapBenchOptions = {},
): Promise<UnmapBenchResult> {
  return runBenchDomain<UnmapReport>("unmap", UNMAP_PREFIX, routes, options);
}
