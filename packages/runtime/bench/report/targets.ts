/**
 * The targets, checked against one run's rows. Each has a goal and a hard "must"; a target is
 * met, only its must is met, missed, or not measurable (a row it needs is missing from this run).
 */
import type { ResultRow } from "../results.js";
import { formatPercent, formatRate, formatRatio } from "./format.js";
import { ratioFinder } from "./ratios.js";

/** Outcome of one target. */
export type TargetStatus = "met" | "must only" | "missed" | "not measured";

/** One checked target, as printed and as written to the JSON. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly goal: string;
  readonly must: string;
  readonly status: TargetStatus;
}

interface Spec {
  readonly target: string;
  readonly find: (rows: readonly ResultRow[]) => ResultRow | undefined;
  /** The measured figure (null when a baseline is missing). */
  readonly value: (row: ResultRow, ratios: ReturnType<typeof ratioFinder>) => number | null;
  readonly goal: number;
  readonly must: number;
  /** True when smaller is better (a time ratio). */
  readonly atMost: boolean;
  readonly show: (v: number) => string;
}

const row = (transport: string, test: string, payload?: number) => (rows: readonly ResultRow[]) =>
  rows.find(
    (r) =>
      r.transport === transport && r.test === test && (payload === undefined || r.payload_bytes === payload),
  );

const SPECS: readonly Spec[] = [
  ...(["pingpong", "rpc"] as const).flatMap((test): Spec[] => [
    {
      // The rpc's floor is the awaited raw round trip (raw-sab rpc): no awaited call can beat it.
      target: `urpc ${test} round trip vs raw-sab${test === "rpc" ? " awaited" : ""}`,
      find: row("urpc", test),
      value: (r, q) => q(r).timeVsFloor,
      goal: 1.25,
      must: 1.5,
      atMost: true,
      show: formatRatio,
    },
    {
      target: `urpc ${test} speed-up over postMessage`,
      find: row("urpc", test),
      value: (r, q) => q(r).speedupVsPostMessage,
      goal: 20,
      must: 10,
      atMost: false,
      show: formatRatio,
    },
  ]),
  {
    target: "urpc 64 B throughput vs raw-sab",
    find: row("urpc", "throughput", 64),
    value: (r, q) => q(r).rateVsFloor,
    goal: 0.8,
    must: 0.5,
    atMost: false,
    show: formatPercent,
  },
  {
    target: "urpc 64 B throughput over postMessage",
    find: row("urpc", "throughput", 64),
    value: (r, q) => q(r).speedupVsPostMessage,
    goal: 5,
    must: 5,
    atMost: false,
    show: formatRatio,
  },
  ...([8, 64] as const).map(
    (payload): Spec => ({
      target: `lrpc ${payload} B throughput`,
      find: row("lrpc", "throughput", payload),
      value: (r) => r.msgs_per_s,
      goal: 20e6,
      must: 10e6,
      atMost: false,
      show: formatRate,
    }),
  ),
];

/** Checks every target of the issue against `rows`. */
export function checkTargets(rows: readonly ResultRow[]): TargetCheck[] {
  const ratios = ratioFinder(rows);
  return SPECS.map((spec) => {
    const bound = (limit: number) => `${spec.atMost ? "≤" : "≥"} ${spec.show(limit)}`;
    const found = spec.find(rows);
    const value = found === undefined ? null : spec.value(found, ratios);
    const base = { target: spec.target, goal: bound(spec.goal), must: bound(spec.must) };
    if (value === null) return { ...base, measured: "-", status: "not measured" };
    const ok = (limit: number) => (spec.atMost ? value <= limit : value >= limit);
    const status: TargetStatus = ok(spec.goal) ? "met" : ok(spec.must) ? "must only" : "missed";
    return { ...base, measured: spec.show(value), status };
  });
}

/** The checks as aligned text lines. */
export function formatTargets(checks: readonly TargetCheck[]): string {
  const w = Math.max(...checks.map((c) => c.target.length));
  const m = Math.max(...checks.map((c) => c.measured.length));
  return checks
    .map(
      (c) => `${c.target.padEnd(w)}  ${c.measured.padStart(m)}  goal ${c.goal}, must ${c.must}: ${c.status}`,
    )
    .join("\n");
}
