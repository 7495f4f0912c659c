/**
 * End-to-end retype with remote relations on booted cores: runs the retype domain (a Frame shared
 * with a holder on every core, retyped page by page from core 0, each a two-phase commit between the
 * monitors over `routes`) and returns its timings, measured in the domain around `caps.retype`.
 */
import type { RouteTable } from "@shoal/agreement";
import { RETYPE_PREFIX, type RetypeReport } from "./retype-domain.js";
import { type DomainBenchOptions, runBenchDomain } from "./run-domain.js";

/** Options of {@link runRetypeBench}. */
export type RetypeBenchOptions = DomainBenchOptions;

/** Boots `routes.cores.length` cores (routes over cores 0..N-1), runs the retype domain, halts. */
export function runRetypeBench(routes: RouteTable, options: RetypeBenchOptions = {}): Promise<RetypeReport> {
  return runBenchDomain<RetypeReport>("retype", RETYPE_PREFIX, routes, options);
}
