/**
 * Measuring one test of one suite: warm-up, then the measured iterations, each test paired with the
 * raw-sab floor measured **interleaved** with it. On these VMs the core-to-core latency itself moves by
 * 3× or more from one minute to the next (the hypervisor places the two vCPUs differently), so a floor
 * measured a minute earlier is no floor at all; slices of the floor taken between slices of the test
 * see the same machine.
 */
import { type ResultRow, ROUND_TRIP_PAYLOAD } from "../results.js";
import type { Suite } from "../workloads/suite.js";
import { MIN_SAMPLES, messagesFor, type Plan } from "./plan.js";
import { summarize } from "./stats.js";

/** Slices a round-trip measurement is cut into, each preceded by a slice of the floor. */
export const FLOOR_SLICES = 8;
/** Upper bound of floor round trips per slice (the floor is fast; this keeps it a small share of time). */
const FLOOR_SLICE_ROUNDS = 16_000;

/** Warm-up, then as many round trips as the plan and the time budget allow, in batches. */
export async function measureRoundTrips(
  suite: Suite,
  test: "pingpong" | "rpc",
  plan: Plan,
  floor: Suite | null,
): Promise<ResultRow> {
  const run = (rounds: number) =>
    test === "pingpong" ? suite.pingpong(rounds, plan.batch) : suite.rpc(rounds, plan.batch);
  const { batch } = plan;
  // Warm up in chunks until the plan's count is done or a quarter of the budget is spent.
  const chunk = roundUp(Math.min(1000, plan.warmupRoundTrips), batch);
  const warmStart = performance.now();
  let warmed = 0;
  while (warmed < plan.warmupRoundTrips && performance.now() - warmStart < plan.testBudgetMs / 4) {
    await run(chunk);
    warmed += chunk;
  }
  const nsPerRound = ((performance.now() - warmStart) * 1e6) / Math.max(1, warmed);
  const affordable = Math.floor((plan.testBudgetMs * 0.75 * 1e6) / nsPerRound);
  const rounds = roundUp(Math.min(plan.roundTrips, Math.max(MIN_SAMPLES * batch, affordable)), batch);
  const slices = floor === null ? 1 : FLOOR_SLICES;
  const perSlice = roundUp(Math.ceil(rounds / slices), batch);
  const samples: number[] = [];
  const floorSamples: number[] = [];
  for (let k = 0; k < slices; k++) {
    if (floor !== null) {
      floorSamples.push(...(await floor.pingpong(Math.min(perSlice, FLOOR_SLICE_ROUNDS), batch)));
    }
    samples.push(...(await run(perSlice)));
  }
  const summary = summarize(samples);
  return {
    transport: suite.transport,
    test,
    payload_bytes: ROUND_TRIP_PAYLOAD,
    median_ns: summary.median,
    p99_ns: summary.p99,
    msgs_per_s: null,
    samples: summary.count,
    floor_median_ns: floorSamples.length > 0 ? summarize(floorSamples).median : null,
    floor_msgs_per_s: null,
  };
}

/** One warm-up run, then `throughputRuns` timed runs (each after a floor run); each run is one sample. */
export async function measureThroughput(
  suite: Suite,
  payload: number,
  plan: Plan,
  floor: Suite | null,
): Promise<ResultRow> {
  const planned = messagesFor(plan, payload);
  const warmStart = performance.now();
  const warmMessages = Math.max(16, roundUp(Math.floor(planned / 4), 16));
  await suite.throughput(payload, warmMessages);
  const nsPerMessage = ((performance.now() - warmStart) * 1e6) / warmMessages;
  const affordable = Math.floor((plan.testBudgetMs * 0.75 * 1e6) / nsPerMessage / plan.throughputRuns);
  const messages = roundUp(Math.min(planned, Math.max(MIN_SAMPLES * 16, affordable)), 16);
  const perMessage = new Float64Array(plan.throughputRuns);
  const floorPerMessage = new Float64Array(floor === null ? 0 : plan.throughputRuns);
  for (let r = 0; r < plan.throughputRuns; r++) {
    if (floor !== null) floorPerMessage[r] = (await floor.throughput(payload, planned)) / planned;
    perMessage[r] = (await suite.throughput(payload, messages)) / messages;
  }
  const summary = summarize(perMessage);
  return {
    transport: suite.transport,
    test: "throughput",
    payload_bytes: payload,
    median_ns: summary.median,
    p99_ns: summary.p99,
    msgs_per_s: 1e9 / summary.median,
    samples: summary.count,
    floor_median_ns: null,
    floor_msgs_per_s: floor === null ? null : 1e9 / summarize(floorPerMessage).median,
  };
}

function roundUp(n: number, multiple: number): number {
  return Math.max(multiple, Math.ceil(n / multiple) * multiple);
}
