/**
 * What the OS executor's harness tells a team's master domain (one JSON argument), what the master
 * tells its members, and what the master reports on the console when the team is done.
 */
import type { SerializedError } from "../team/protocol.js";

/** One parallel region to run on the whole team. */
export interface OsJob {
  /** The region's module (a file: URL of built JavaScript) and export. */
  readonly module: string;
  readonly name: string;
  /** Its argument (JSON); the team's data frame is put in as `memory`. */
  readonly arg: Record<string, unknown>;
  /** Zero the data frame before the run (a fresh memory, as runWorkload gives). */
  readonly zero?: boolean;
}

/**
 * How the members run: `span` (the default), as dispatchers of the master's own domain on their
 * cores, sharing its address space; `domains`, as domains of their own, each mapping the team's
 * Frame caps into its own address space (what works without spanning domains).
 */
export type OsTeamMode = "span" | "domains";

/** The master's start-up data. */
export interface OsTeamConfig {
  readonly mode: OsTeamMode;
  /** Names this run's services (`<tag>.<tid>`) and its console report. */
  readonly tag: string;
  /** The core of each member; member 0 is the master itself, on `cores[0]`. */
  readonly cores: readonly number[];
  /** Bytes of the data frame (whole pages). */
  readonly dataBytes: number;
  /** The member domain's module (built JavaScript). */
  readonly memberPath: string;
  readonly jobs: readonly OsJob[];
}

/** A member's start-up data. */
export interface OsMemberConfig {
  readonly tag: string;
  readonly tid: number;
}

/** The master's report: every member's value of every job, or the first error. */
export interface OsTeamReport {
  readonly tag: string;
  /** values[job][tid]. */
  readonly values: unknown[][];
  /** Each job's wall time on the master, from sending execute to the last done (ms). */
  readonly jobMs: number[];
  /** The domain of each member, as it says (span: all the master's). */
  readonly domains: number[];
  readonly error?: { readonly code: string; readonly message: string };
}

/** The prefix of the master's console report. */
export const OS_REPORT_PREFIX = "THREADS-OS ";

/** A member's answer to execute, as JSON in `done`'s value. */
export type DoneValue = { readonly value: unknown } | { readonly error: SerializedError };
