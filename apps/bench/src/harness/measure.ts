/**
 * Measuring one test of one suite: warm-up, then the measured iterations, each test paired with the
 * raw-sab floor measured **right before it**. On these VMs the core-to-core latency itself moves by 3×
 * or more from one minute to the next (the hypervisor places the two vCPUs differently), so a floor
 * measured minutes earlier is no floor at all. The floor is not cut into slices between the test's
 * slices: a transport's worker keeps spinning for a few milliseconds after traffic stops, and three
 * spinning threads on two cores ruin both measurements. Instead the test's threads get a quiet pause,
 * then the floor runs, then the test.
 */
import { type ResultRow, ROUND_TRIP_PAYLOAD } from "../results.js";
import type { Suite } from "../workloads/suite.js";
import { MIN_SAMPLES, messagesFor, type Plan } from "./plan.js";
import { summarize } from "./stats.js";

/** Upper bound of floor round trips per test (the floor is fast; this keeps it a small share of time). */
const FLOOR_ROUNDS = 40_000;
/** Upper bound of floor throughput runs per test. */
const FLOOR_RUNS = 5;
/** Pause before the floor: longer than a transport's spin-then-block window (runtime: up to 8 ms). */
const QUIET_MS = 30;

/** Chunks the floor's round trips are split into; the best chunk's median is the floor. */
const FLOOR_CHUNKS = 5;

/**
 * The floor's ping-pong, measured after a quiet pause (null without a floor): the lowest median of a few
 * chunks, as for throughput, since other processes on a shared VM only ever slow the floor down. A single
 * median let one disturbed stretch make the floor 4x slower than every other floor of the run.
 */
async function floorRoundTrip(floor: Suite | null, rounds: number, batch: number): Promise<number | null> {
  if (floor === null) return null;
  await quiet();
  const perChunk = roundUp(
    Math.max(MIN_SAMPLES * batch, Math.min(rounds, FLOOR_ROUNDS) / FLOOR_CHUNKS),
    batch,
  );
  let best = Number.POSITIVE_INFINITY;
  for (let c = 0; c < FLOOR_CHUNKS; c++) {
    best = Math.min(best, summarize(await floor.pingpong(perChunk, batch)).median);
  }
  return best;
}

function quiet(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, QUIET_MS));
}

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
  const floorMedian = await floorRoundTrip(floor, rounds, batch);
  const summary = summarize(await run(rounds));
  return {
    transport: suite.transport,
    test,
    payload_bytes: ROUND_TRIP_PAYLOAD,
    median_ns: summary.median,
    p99_ns: summary.p99,
    msgs_per_s: null,
    samples: summary.count,
    floor_median_ns: floorMedian,
    floor_msgs_per_s: null,
  };
}

/** One warm-up run, the floor's runs, then `throughputRuns` timed runs; each run is one sample. */
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
  let floorRate: number | null = null;
  if (floor !== null) {
    await quiet();
    const floorPerMessage = new Float64Array(Math.min(plan.throughputRuns, FLOOR_RUNS));
    for (let r = 0; r < floorPerMessage.length; r++) {
      floorPerMessage[r] = (await floor.throughput(payload, planned)) / planned;
    }
    // The best run: a floor is what the machine can do, and other processes on a shared VM only ever slow
    // a run down (a median of five was seen to land on a disturbed run). Conservative for the ratio.
    floorRate = 1e9 / summarize(floorPerMessage).min;
  }
  const perMessage = new Float64Array(plan.throughputRuns);
  for (let r = 0; r < plan.throughputRuns; r++) {
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
    floor_msgs_per_s: floorRate,
  };
}

function roundUp(n: number, multiple: number): number {
  return Math.max(multiple, Math.ceil(n / multiple) * multiple);
}
