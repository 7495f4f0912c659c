/**
 * Runs every test of every transport in one process, one transport at a time (so at most two threads
 * spin), with a warm-up before each measurement, and turns the samples into {@link ResultRow}s.
 */
import { describeError, isBenchError } from "../errors.js";
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

/** A test that failed (a wrong result, a stall, a crashed worker): the run goes on without that transport. */
export interface FailedTest {
  readonly transport: TransportName;
  readonly test: TestName;
  readonly payload_bytes: number;
  /** `CODE: message`. */
  readonly error: string;
}

/** What {@link runAll} produced. */
export interface RunOutput {
  readonly results: ResultRow[];
  readonly skipped: SkippedRow[];
  readonly failures: FailedTest[];
}

/** Progress steps one transport takes (two round-trip tests and one per throughput payload). */
export const STEPS_PER_TRANSPORT = 2 + THROUGHPUT_PAYLOADS.length;

/**
 * Runs `transports` in order with the suites from `factories`. When a test fails, the failure is recorded,
 * that transport's remaining tests are skipped (its state is suspect) and its threads are stopped; the
 * other transports still run, so one broken transport does not hide everything else. The caller must
 * treat any failure as a failed run.
 */
export async function runAll(
  transports: readonly TransportName[],
  factories: Readonly<Record<TransportName, SuiteFactory>>,
  plan: Plan,
  progress: Progress,
): Promise<RunOutput> {
  const out: RunOutput = { results: [], skipped: [], failures: [] };
  for (const transport of transports) {
    let opened: Awaited<ReturnType<SuiteFactory>>;
    try {
      opened = await factories[transport](plan.timeoutMs);
    } catch (e) {
      const [test, payload] = allTests()[0] as [TestName, number];
      out.failures.push({ transport, test, payload_bytes: payload, error: `set-up: ${errorLine(e)}` });
      progress.note(`${transport}: FAILED to set up: ${errorLine(e)}`);
      continue;
    }
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
      try {
        await opened.close();
      } catch (e) {
        out.failures.push({
          transport,
          test: "throughput",
          payload_bytes: 0,
          error: `close: ${errorLine(e)}`,
        });
      }
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
  let failed = false;
  for (const [test, payload] of allTests()) {
    if (failed) {
      out.skipped.push({
        transport,
        test,
        payload_bytes: payload,
        reason: "not run: an earlier test failed",
      });
      continue;
    }
    const label = test === "throughput" ? `${transport} ${test} ${payload} B` : `${transport} ${test}`;
    progress.step(label);
    const reason = suite.unsupported[test];
    if (reason !== undefined) {
      out.skipped.push({ transport, test, payload_bytes: payload, reason });
      continue;
    }
    try {
      const row =
        test === "throughput"
          ? await measureThroughput(suite, payload, plan)
          : await measureRoundTrips(suite, test, plan);
      out.results.push(row);
    } catch (e) {
      failed = true;
      out.failures.push({ transport, test, payload_bytes: payload, error: errorLine(e) });
      progress.note(`${label}: FAILED: ${errorLine(e)}`);
    }
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

function errorLine(e: unknown): string {
  return isBenchError(e) ? `${e.code}: ${e.message}` : describeError(e);
}

function roundUp(n: number, multiple: number): number {
  return Math.max(multiple, Math.ceil(n / multiple) * multiple);
}
