/**
 * What every transport under test provides to the runner. A suite owns its threads (at most one worker:
 * with the main thread that makes the two spinning sides of a round trip on two cores) and must release
 * them in {@link Suite.close}.
 */
import { BenchError } from "../errors.js";
import type { TestName, TransportName } from "../results.js";

/** One transport's workloads, ready to run. */
export interface Suite {
  readonly transport: TransportName;
  /** Tests this transport has no form of, with the reason the table prints. */
  readonly unsupported: Partial<Record<TestName, string>>;
  /**
   * `rounds` ping → pong round trips, timed in batches of `batch`: one sample (ns per round trip) per
   * batch. `rounds` is a multiple of `batch`.
   */
  pingpong(rounds: number, batch: number): Promise<Float64Array>;
  /** `rounds` rpc calls awaited one after another, timed like {@link pingpong}. */
  rpc(rounds: number, batch: number): Promise<Float64Array>;
  /**
   * The paired floor, for suites with a worker (urpc, port): `rounds` raw-sab ping-pong round trips
   * between main and this suite's own worker, timed like {@link pingpong}, run in turns with the
   * round-trip tests on the same two threads (see harness/measure.ts).
   */
  floorPingpong?(rounds: number, batch: number): Promise<Float64Array>;
  /** The paired floor of the rpc test: the same, each round trip awaited (raw-pingpong.ts, awaitedPingRounds). */
  floorRpc?(rounds: number, batch: number): Promise<Float64Array>;
  /**
   * The paired throughput floor, for suites with a worker (urpc, port): a raw-sab ring run of `messages`
   * messages of `payloadBytes` between main and this suite's own worker (which drains it synchronously),
   * timed like {@link throughput}, run in turns with the throughput runs (see harness/measure.ts).
   */
  floorThroughput?(payloadBytes: number, messages: number): Promise<number>;
  /**
   * Sends `messages` one-way messages of `payloadBytes` with at most 16 in flight and resolves with
   * the nanoseconds from the first send until the receiver has counted the last one.
   */
  throughput(payloadBytes: number, messages: number): Promise<number>;
  /** Stops every thread the suite started; idempotent. */
  close(): Promise<void>;
}

/** A suite that could not be set up, with a reason fit for one line of output. */
export interface Unavailable {
  readonly unavailable: string;
}

/** Opens one transport's suite; `timeoutMs` bounds every wait inside it. */
export type SuiteFactory = (timeoutMs: number) => Promise<Suite | Unavailable>;

/** The error a suite throws when asked for a test listed in {@link Suite.unsupported}. */
export function unsupportedTest(transport: TransportName, test: TestName): BenchError {
  return new BenchError("NOT_APPLICABLE", `${transport} has no ${test} test`);
}
