/**
 * Runs every test of every transport in one process, one transport at a time (so at most two threads
 * spin: the floor's worker waits in its event loop while another transport runs), and collects the rows.
 */
import { describeError, isBenchError } from "../errors.js";
import type { Progress } from "../report/progress.js";
import {
  type ResultRow,
  ROUND_TRIP_PAYLOAD,
  type SkippedRow,
  type TestName,
  THROUGHPUT_PAYLOADS,
  TRANSPORTS,
  type TransportName,
} from "../results.js";
import type { Suite, SuiteFactory } from "../workloads/suite.js";
import { measureRoundTrips, measureThroughput } from "./measure.js";
import type { Plan } from "./plan.js";

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
 * Runs `transports` with the suites from `factories`, raw-sab first: its suite then stays open as the
 * floor that is measured again right before every other transport's test, except the tests of
 * suites that measure their own paired floor (see measure.ts). When a test fails, the
 * failure is recorded, that transport's remaining tests are skipped (its state is suspect) and its
 * threads are stopped; the other transports still run, so one broken transport does not hide everything
 * else. The caller must treat any failure as a failed run. Rows come back in {@link TRANSPORTS} order.
 */
export async function runAll(
  transports: readonly TransportName[],
  factories: Readonly<Record<TransportName, SuiteFactory>>,
  plan: Plan,
  progress: Progress,
): Promise<RunOutput> {
  const out: RunOutput = { results: [], skipped: [], failures: [] };
  const order = [...transports].sort((a, b) => Number(b === "raw-sab") - Number(a === "raw-sab"));
  let floor: Suite | null = null;
  try {
    for (const transport of order) {
      const suite = await open(transport, factories, plan, progress, out);
      if (suite === null) continue;
      let keep = false;
      try {
        const ok = await runSuite(suite, plan, progress, out, floor);
        keep = ok && transport === "raw-sab";
      } finally {
        if (keep) floor = suite;
        else await closeSuite(suite, out);
      }
    }
  } finally {
    if (floor !== null) await closeSuite(floor, out);
  }
  const rank = (t: TransportName) => TRANSPORTS.indexOf(t);
  out.results.sort((a, b) => rank(a.transport) - rank(b.transport));
  out.skipped.sort((a, b) => rank(a.transport) - rank(b.transport));
  return out;
}

/** Opens a suite; null (with the reason recorded) when it is unavailable or fails to start. */
async function open(
  transport: TransportName,
  factories: Readonly<Record<TransportName, SuiteFactory>>,
  plan: Plan,
  progress: Progress,
  out: RunOutput,
): Promise<Suite | null> {
  let opened: Awaited<ReturnType<SuiteFactory>>;
  try {
    opened = await factories[transport](plan.timeoutMs);
  } catch (e) {
    const [test, payload] = allTests()[0] as [TestName, number];
    out.failures.push({ transport, test, payload_bytes: payload, error: `set-up: ${errorLine(e)}` });
    progress.note(`${transport}: FAILED to set up: ${errorLine(e)}`);
    return null;
  }
  if ("unavailable" in opened) {
    progress.note(`${transport}: skipped, ${opened.unavailable}`);
    for (const [test, payload] of allTests()) {
      progress.step(`${transport} ${test} (skipped)`);
      out.skipped.push({ transport, test, payload_bytes: payload, reason: opened.unavailable });
    }
    return null;
  }
  return opened;
}

async function closeSuite(suite: Suite, out: RunOutput): Promise<void> {
  try {
    await suite.close();
  } catch (e) {
    out.failures.push({
      transport: suite.transport,
      test: "throughput",
      payload_bytes: 0,
      error: `close: ${errorLine(e)}`,
    });
  }
}

function allTests(): [TestName, number][] {
  return [
    ["pingpong", ROUND_TRIP_PAYLOAD],
    ["rpc", ROUND_TRIP_PAYLOAD],
    ...THROUGHPUT_PAYLOADS.map((p): [TestName, number] => ["throughput", p]),
  ];
}

/** Runs every test of `suite`; false when one failed. */
async function runSuite(
  suite: Suite,
  plan: Plan,
  progress: Progress,
  out: RunOutput,
  floor: Suite | null,
): Promise<boolean> {
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
          ? await measureThroughput(suite, payload, plan, floor)
          : await measureRoundTrips(suite, test, plan, floor);
      out.results.push(row);
    } catch (e) {
      failed = true;
      out.failures.push({ transport, test, payload_bytes: payload, error: errorLine(e) });
      progress.note(`${label}: FAILED: ${errorLine(e)}`);
    }
  }
  return !failed;
}

function errorLine(e: unknown): string {
  return isBenchError(e) ? `${e.code}: ${e.message}` : describeError(e);
}
