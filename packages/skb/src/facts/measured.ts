/**
 * Measured round trips into the SKB: each measured pair replaces its modelled `message_rtt/6`, and
 * `rtt_origin(measured)` says the numbers are real. The queries' prepared tables follow by themselves
 * (they are rebuilt when message_rtt/6 changes).
 */
import type { SkbEngine } from "../engine/engine.js";
import { SkbError } from "../errors.js";
import { fact } from "./render.js";

/** One measured pair, in ns (the shape of @shoal/monitor's RttRow). */
export interface MeasuredRtt {
  readonly from: number;
  readonly to: number;
  readonly avgNs: number;
  readonly varNs2: number;
  readonly minNs: number;
  readonly maxNs: number;
}

/** Asserts measured round trips, replacing what was known for those pairs; returns how many. */
export function assertMeasuredRtts(engine: SkbEngine, rows: readonly MeasuredRtt[]): number {
  for (const r of rows) {
    const values = [r.from, r.to, r.avgNs, r.varNs2, r.minNs, r.maxNs];
    if (!values.every((v) => Number.isFinite(v) && v >= 0) || r.from === r.to) {
      throw new SkbError(
        "BAD_FACTS",
        `a measured round trip must be finite, non-negative, between two cores: ${JSON.stringify(r)}`,
      );
    }
  }
  const facts = rows.map((r) =>
    fact(
      "message_rtt",
      r.from,
      r.to,
      Math.round(r.avgNs),
      Math.round(r.varNs2),
      Math.round(r.minNs),
      Math.round(r.maxNs),
    ),
  );
  engine.query(
    "forall(member(message_rtt(A, B, _, _, _, _), Fs), retractall(message_rtt(A, B, _, _, _, _))), " +
      "forall(member(F, Fs), assertz(F)), retractall(rtt_origin(_)), assertz(rtt_origin(measured))",
    { inputs: { Fs: facts } },
  );
  return facts.length;
}
