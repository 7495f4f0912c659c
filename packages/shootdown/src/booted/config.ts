/** What the harness tells each shootdown domain (one JSON argument) and what the domains report. */
import type { ProtocolName, RouteTree } from "@shoal/agreement";

/** What a run measures on its root: one-page shootdowns, or two-phase commits on distinct keys. */
export type BootedMode = "shootdown" | "twopc";

/** A shootdown domain's start-up data. */
export interface BootedConfig {
  /** Names this run's services (`<tag>.<core>`) and its console reports. */
  readonly tag: string;
  readonly core: number;
  readonly root: number;
  readonly cores: readonly number[];
  readonly protocol: ProtocolName;
  readonly trees: readonly (readonly [number, RouteTree])[];
  readonly mode: BootedMode;
  readonly ops: number;
  readonly warmup: number;
  readonly timeoutMs: number;
}

/** The console line a domain writes when it is done: `BENCH ` then this as JSON. */
export interface BootedReport {
  readonly tag: string;
  readonly core: number;
  /** Local parts run for invalidate rounds (one per range). */
  readonly invalidated: number;
  /** Rounds this core answered more than once (must be 0). */
  readonly duplicateUps: number;
  /** Rounds this core answered exactly once. */
  readonly ups: number;
  /** The root only: latency of each measured operation. */
  readonly latenciesNs?: readonly number[];
  /** The transport of the binding to each peer (lrpc or urpc). */
  readonly transports: Readonly<Record<string, string>>;
  readonly error?: { readonly code: string; readonly message: string; readonly core?: number };
}

/** The prefix of a domain's console reports. */
export const REPORT_PREFIX = "BENCH ";
/** The line the root writes when it starts measuring (the kill tests wait for it). */
export const STARTED_PREFIX = "SHOOTDOWN-STARTED ";
