/**
 * Runs every test of every transport in one process, one transport at a time (so at most two threads
 * spin), with a warm-up before each measurement, and turns the samples into {@link ResultRow}s.
 */
import type { Progress } from "../report/progress.js";
import {
  type ResultRow,
  ROUND_TRIP_PAYLOAD,
  type SkippedRow,
  type TestName,
  THROUGHPUT_PAYLOADS,
  type TransportName,
} from "../results.js";
import type { Suite, SuiteFactory } from "../workloads/suite.js";
import { MIN_SAMPLES, messagesFor, type Plan } from "./plan.js";
import { summarize } from "./stats.js";

/** What {@link runAll} produced. */
export interface RunOutput {
  readonly results: ResultRow[];
  readonly skipped: SkippedRow[];
}

/** Progress steps one transport takes (two round-trip tests and one per throughput payload). */
export const STEPS_PER_TRANSPORT = 2 + THROUGHPUT_PAYLOADS.length;

/** Runs `transports` in order with the suites from `factories`. A failure in any suite rejects. */
export async function runAll(
  transports: readonly TransportName[],
  factories: Readonly<Record<TransportName, SuiteFactory>>,
  plan: Plan,
  progress: Progress,
): Promise<RunOutput> {
  const out: RunOutput = { results: [], skipped: [] };
  for (const transport of transports) {
    const opened = await factories[transport](plan.timeoutMs);
    if ("unavailable" in opened) {
      progress.note(`${transport}: skipped, ${opened.unavailable}`);
      for (const [test, payload] of allTests()) {
        progress.step(`${transport} ${test} (skipped)`);
        out.skipped.push({ transport, test, payload_bytes: payload, reason: opened.unavailable });
      }
      continue;
    }
    try {
      await runSuite(opened, plan, progress, out);
    } finally {
      await opened.close();
    }
  }
  return out;
}

function allTests(): [TestName, number][] {
  return [
    ["pingpong", ROUND_TRIP_PAYLOAD],
    ["rpc", ROUND_TRIP_PAYLOAD],
    ...THROUGHPUT_PAYLOADS.map((p): [TestName, number] => ["throughput", p]),
  ];
}

async function runSuite(suite: Suite, plan: Plan, progress: Progress, out: RunOutput): Promise<void> {
  const transport = suite.transport;
  for (const [test, payload] of allTests()) {
    const label = test === "throughput" ? `${transport} ${test} ${payload} B` : `${transport} ${test}`;
    progress.step(label);
    const reason = suite.unsupported[test];
    if (reason !== undefined) {
      out.skipped.push({ transport, test, payload_bytes: payload, reason });
      continue;
    }
    const row =
      test === "throughput"
        ? await measureThroughput(suite, payload, plan)
        : await measureRoundTrips(suite, test, plan);
    out.results.push(row);
  }
}

/** Warm-up, then as many round trips as the plan and the time budget allow, in batches. */
async function measureRoundTrips(suite: Suite, test: "pingpong" | "rpc", plan: Plan): Promise<ResultRow> {
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
  const summary = summarize(await run(rounds));
  return {
    transport: suite.transport,
    test,
    payload_bytes: ROUND_TRIP_PAYLOAD,
    median_ns: summary.median,
    p99_ns: summary.p99,
    msgs_per_s: null,
    samples: summary.count,
  };
}

/** One warm-up run, then `throughputRuns` timed runs; each run's rate is one sample. */
async function measureThroughput(suite: Suite, payload: number, plan: Plan): Promise<ResultRow> {
  const planned = messagesFor(plan, payload);
  const warmStart = performance.now();
  const warmMessages = Math.max(16, roundUp(Math.floor(planned / 4), 16));
  await suite.throughput(payload, warmMessages);
  const nsPerMessage = ((performance.now() - warmStart) * 1e6) / warmMessages;
  const affordable = Math.floor((plan.testBudgetMs * 0.75 * 1e6) / nsPerMessage / plan.throughputRuns);
  const messages = roundUp(Math.min(planned, Math.max(MIN_SAMPLES * 16, affordable)), 16);
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
  };
}

function roundUp(n: number, multiple: number): number {
  return Math.max(multiple, Math.ceil(n / multiple) * multiple);
}
