/**
 * Measuring one test of one suite: warm-up, then the measured iterations, each test compared with a
 * raw-sab floor measured alongside it. On these VMs the core-to-core latency itself jumps between modes
 * (raw ping-pong ~100 ns in one, ~500 ns in another) from one second to the next, as the hypervisor
 * places the two vCPUs differently, so a floor measured minutes, or even seconds, earlier is no floor.
 *
 * Round trips of suites with a worker (urpc, port: Suite.floorPingpong, Suite.floorRpc) use the **paired
 * floor** (for the rpc test the awaited one, raw-pingpong.ts): the measured round trips are cut into
 * chunks, and each chunk runs right after a floor chunk of the same size between main and the **same**
 * worker (which echoes synchronously, so its stub dispatcher is not running: still only two spinning
 * threads); the ratio is the median of the per-pair ratios
 * (paired-floor.ts). Their throughput rows are paired the same way, run by run: a raw-sab ring run
 * between main and that worker, then a stub run, and the ratio is the median of the per-pair rate
 * ratios. Every other row gets the raw-sab suite's floor **right before it**: not in slices
 * between the test's slices, because that transport's worker would keep spinning for a few milliseconds
 * after traffic stops, and three spinning threads on two cores ruin both measurements. Instead the
 * test's threads get a quiet pause, then the floor runs, then the test.
 */
import { type ResultRow, ROUND_TRIP_PAYLOAD } from "../results.js";
import type { Suite } from "../workloads/suite.js";
import { chunkBatches, pairedFloorRatio, pairedRateRatio } from "./paired-floor.js";
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
 * The floor's round trip, measured after a quiet pause (null without a floor): the lowest median of a
 * few chunks, as for throughput, since other processes on a shared VM only ever slow the floor down. A
 * single median let one disturbed stretch make the floor 4x slower than every other floor of the run.
 * The rpc test's floor is the awaited one (RawSab.rpc): an awaited call cannot beat it.
 */
async function floorRoundTrip(
  floor: Suite | null,
  test: "pingpong" | "rpc",
  rounds: number,
  batch: number,
): Promise<number | null> {
  if (floor === null) return null;
  await quiet();
  const perChunk = roundUp(
    Math.max(MIN_SAMPLES * batch, Math.min(rounds, FLOOR_ROUNDS) / FLOOR_CHUNKS),
    batch,
  );
  let best = Number.POSITIVE_INFINITY;
  for (let c = 0; c < FLOOR_CHUNKS; c++) {
    const samples = test === "pingpong" ? floor.pingpong(perChunk, batch) : floor.rpc(perChunk, batch);
    best = Math.min(best, summarize(await samples).median);
  }
  return best;
}

function quiet(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, QUIET_MS));
}

/**
 * Warm-up, then as many round trips as the plan and the time budget allow, in batches: paired with the
 * suite's own floor when it has one (see the file comment), else after the raw-sab floor `floor`.
 */
export async function measureRoundTrips(
  suite: Suite,
  test: "pingpong" | "rpc",
  plan: Plan,
  floor: Suite | null,
): Promise<ResultRow> {
  const run = (rounds: number) =>
    test === "pingpong" ? suite.pingpong(rounds, plan.batch) : suite.rpc(rounds, plan.batch);
  const { batch } = plan;
  // Warm up in chunks for at least plan.warmupMs (compiled code), then until the plan's count is done or
  // a quarter of the budget is spent.
  const chunk = roundUp(Math.min(1000, plan.warmupRoundTrips), batch);
  const warmStart = performance.now();
  let warmed = 0;
  while (
    performance.now() - warmStart < plan.warmupMs ||
    (warmed < plan.warmupRoundTrips && performance.now() - warmStart < plan.testBudgetMs / 4)
  ) {
    await run(chunk);
    warmed += chunk;
  }
  const nsPerRound = ((performance.now() - warmStart) * 1e6) / Math.max(1, warmed);
  const affordable = Math.floor((plan.testBudgetMs * 0.75 * 1e6) / nsPerRound);
  const rounds = roundUp(Math.min(plan.roundTrips, Math.max(MIN_SAMPLES * batch, affordable)), batch);
  let measured: { samples: Float64Array; floorMedian: number | null; floorRatio: number | null };
  const floorRun = (test === "pingpong" ? suite.floorPingpong : suite.floorRpc)?.bind(suite);
  if (floorRun !== undefined) {
    const paired = (n: number) => floorRun(n, batch);
    await paired(chunk); // warms the worker's echo loop up
    measured = await pairedRoundTrips(run, paired, rounds / batch, batch);
  } else {
    const floorMedian = await floorRoundTrip(floor, test, rounds, batch);
    measured = { samples: await run(rounds), floorMedian, floorRatio: null };
  }
  const summary = summarize(measured.samples);
  return {
    transport: suite.transport,
    test,
    payload_bytes: ROUND_TRIP_PAYLOAD,
    median_ns: summary.median,
    p99_ns: summary.p99,
    msgs_per_s: null,
    samples: summary.count,
    floor_median_ns: measured.floorMedian,
    floor_msgs_per_s: null,
    floor_ratio: measured.floorRatio,
    floor_rate_ratio: null,
  };
}

/**
 * `batches` measured batches in chunk pairs (paired-floor.ts): for each pair a floor chunk, then a test
 * chunk of the same size. Each chunk starts with one unmeasured batch (the threads were waiting for
 * messages just before it, and a stub transport's dispatchers may have gone to sleep during the floor
 * chunk; that first batch was seen to be the slowest of a chunk), so both measure the steady state, as
 * one long run did. Returns every test sample, the median of every floor sample and the paired ratio.
 */
async function pairedRoundTrips(
  run: (rounds: number) => Promise<Float64Array>,
  floorRun: (rounds: number) => Promise<Float64Array>,
  batches: number,
  batch: number,
): Promise<{ samples: Float64Array; floorMedian: number; floorRatio: number }> {
  const samples = new Float64Array(batches);
  const floorSamples = new Float64Array(batches);
  const sizes = chunkBatches(batches);
  const floorMedians = new Float64Array(sizes.length);
  const testMedians = new Float64Array(sizes.length);
  let offset = 0;
  for (const [k, n] of sizes.entries()) {
    const f = (await floorRun((n + 1) * batch)).subarray(1);
    await run(batch);
    const t = await run(n * batch);
    floorSamples.set(f, offset);
    samples.set(t, offset);
    offset += n;
    floorMedians[k] = summarize(f).median;
    testMedians[k] = summarize(t).median;
  }
  return {
    samples,
    floorMedian: summarize(floorSamples).median,
    floorRatio: pairedFloorRatio(floorMedians, testMedians),
  };
}

/**
 * Warm-up runs for at least plan.warmupMs, then `throughputRuns` timed runs; each run is one sample. With
 * the suite's own throughput floor (urpc, port: Suite.floorThroughput) the runs are paired: a floor run
 * of as many messages, then a stub run, on the same two threads, and the ratio is the median over pairs
 * of the stub run's rate ÷ the floor run's; else the raw-sab floor `floor` runs right before the row.
 */
export async function measureThroughput(
  suite: Suite,
  payload: number,
  plan: Plan,
  floor: Suite | null,
): Promise<ResultRow> {
  const planned = messagesFor(plan, payload);
  // Warm-up runs for at least plan.warmupMs (see Plan.warmupMs); the last one predicts the cost.
  const warmMessages = Math.max(16, roundUp(Math.floor(planned / 4), 16));
  const warmStart = performance.now();
  let nsPerMessage = 0;
  do {
    const t0 = performance.now();
    await suite.throughput(payload, warmMessages);
    nsPerMessage = ((performance.now() - t0) * 1e6) / warmMessages;
  } while (performance.now() - warmStart < plan.warmupMs);
  const affordable = Math.floor((plan.testBudgetMs * 0.75 * 1e6) / nsPerMessage / plan.throughputRuns);
  const messages = roundUp(Math.min(planned, Math.max(MIN_SAMPLES * 16, affordable)), 16);
  const run = async (n: number) => (await suite.throughput(payload, n)) / n;
  let measured: { perMessage: Float64Array; floorRate: number | null; rateRatio: number | null };
  const floorThroughput = suite.floorThroughput?.bind(suite);
  if (floorThroughput !== undefined) {
    const floorRun = async (n: number) => (await floorThroughput(payload, n)) / n;
    // Warms the worker's drain loop up (it has not run in this worker before the first row).
    const floorWarmStart = performance.now();
    do await floorRun(warmMessages);
    while (performance.now() - floorWarmStart < plan.warmupMs / 4);
    measured = await pairedThroughput(run, floorRun, messages, plan.throughputRuns);
  } else {
    measured = {
      floorRate: await rawSabFloorRate(floor, payload, planned, plan.throughputRuns),
      perMessage: new Float64Array(plan.throughputRuns),
      rateRatio: null,
    };
    for (let r = 0; r < plan.throughputRuns; r++) measured.perMessage[r] = await run(messages);
  }
  const summary = summarize(measured.perMessage);
  return {
    transport: suite.transport,
    test: "throughput",
    payload_bytes: payload,
    median_ns: summary.median,
    p99_ns: summary.p99,
    msgs_per_s: 1e9 / summary.median,
    samples: summary.count,
    floor_median_ns: null,
    floor_msgs_per_s: measured.floorRate,
    floor_ratio: null,
    floor_rate_ratio: measured.rateRatio,
  };
}

/**
 * The raw-sab suite's throughput floor, measured after a quiet pause (null without a floor): its best
 * rate of up to {@link FLOOR_RUNS} runs of `messages`.
 */
async function rawSabFloorRate(
  floor: Suite | null,
  payload: number,
  messages: number,
  runs: number,
): Promise<number | null> {
  if (floor === null) return null;
  await quiet();
  const floorPerMessage = new Float64Array(Math.min(runs, FLOOR_RUNS));
  for (let r = 0; r < floorPerMessage.length; r++) {
    floorPerMessage[r] = (await floor.throughput(payload, messages)) / messages;
  }
  // The best run: a floor is what the machine can do, and other processes on a shared VM only ever slow
  // a run down (a median of five was seen to land on a disturbed run). Conservative for the ratio.
  return 1e9 / summarize(floorPerMessage).min;
}

/**
 * `runs` pairs of a floor run then a stub run, both of `messages` messages (each resolves with ns per
 * message). Returns the stub runs' samples, the rate of the median floor run and the paired rate ratio
 * (paired-floor.ts): a run takes milliseconds, so a pair almost always sees one core-placement mode.
 */
async function pairedThroughput(
  run: (messages: number) => Promise<number>,
  floorRun: (messages: number) => Promise<number>,
  messages: number,
  runs: number,
): Promise<{ perMessage: Float64Array; floorRate: number; rateRatio: number }> {
  const perMessage = new Float64Array(runs);
  const floorPerMessage = new Float64Array(runs);
  for (let r = 0; r < runs; r++) {
    floorPerMessage[r] = await floorRun(messages);
    perMessage[r] = await run(messages);
  }
  return {
    perMessage,
    floorRate: 1e9 / summarize(floorPerMessage).median,
    rateRatio: pairedRateRatio(floorPerMessage, perMessage),
  };
}

function roundUp(n: number, multiple: number): number {
  return Math.max(multiple, Math.ceil(n / multiple) * multiple);
}
