/**
 * The stub transports: urpc, lrpc and port through the stubs generated from interfaces/bench.if.
 * urpc and port: main is the client, a worker the server (stub-worker.ts); lrpc runs both ends in the
 * main thread, as LRPC is a same-core call. Each throughput payload size gets its own connection, sized
 * for 16 messages in flight (urpc: ring lines, port: credits); the round-trip tests share one.
 * urpc and port also measure the paired floors (Suite.floorPingpong, Suite.floorThroughput): the raw-sab
 * ping-pong and ring between main and the same stub worker, on a shared memory the worker gets at start.
 */
import type { TransferListItem } from "node:worker_threads";
import { BenchError, describeError } from "../errors.js";
import { guard } from "../harness/guard.js";
import { WorkerHost, withTimeout } from "../harness/worker-host.js";
import { workerUrl } from "../harness/worker-url.js";
import { IN_FLIGHT } from "../results.js";
import { loadStubs } from "../stubs/load-stubs.js";
import { expectedCheck, ROUND_TRIP_VALUE, senderFor } from "../stubs/payloads.js";
import type { BenchBinding, BenchStubs, PairOptions, RuntimeApi, StubTransport } from "../stubs/stub-api.js";
import type { StubReply, StubWorkerData } from "../stubs/stub-protocol.js";
import { bindServer, type StubServer } from "../stubs/stub-server.js";
import { allocateRawMemory, linesPerMessage } from "./raw-layout.js";
import { abortRawLoop, awaitedPingRounds, pingRounds } from "./raw-pingpong.js";
import { checkRingSum, RingSender } from "./raw-ring.js";
import type { Suite, Unavailable } from "./suite.js";

/** Opens a stub suite, or says why it cannot (runtime or generated stubs missing). */
export async function openStubSuite(
  transport: StubTransport,
  timeoutMs: number,
): Promise<Suite | Unavailable> {
  const loaded = await loadStubs();
  if ("unavailable" in loaded) return loaded;
  if (transport === "lrpc") return new StubSuite(transport, loaded.runtime, loaded.Bench, null, timeoutMs);
  const data: StubWorkerData = { memory: allocateRawMemory() };
  const raw = new Int32Array(data.memory);
  const host = await WorkerHost.start<StubReply>(
    `${transport} stub`,
    workerUrl("stub-worker"),
    data,
    timeoutMs,
  );
  return new StubSuite(
    transport,
    loaded.runtime,
    loaded.Bench,
    { host, raw, ring: new RingSender(raw) },
    timeoutMs,
  );
}

/** One connection: the client end here, the server end in the worker (or here, for lrpc). */
interface Connection {
  readonly key: number;
  readonly client: BenchBinding;
  readonly local: StubServer | null;
  onPong: ((v: bigint) => void) | null;
  onDone: ((count: bigint) => void) | null;
}

/** The stub worker and the raw layout's words shared with it (urpc and port; lrpc has no worker). */
interface Remote {
  readonly host: WorkerHost<StubReply>;
  readonly raw: Int32Array;
  /** Main's side of the raw ring on `raw` (its sequences span runs). */
  readonly ring: RingSender;
}

/** Connection key of the round-trip tests (throughput connections use the payload size). */
const ROUND_TRIP_KEY = 0;

class StubSuite implements Suite {
  readonly unsupported = {};
  /** The paired floor: only with a worker (see {@link floorChunk}). */
  readonly floorPingpong?: (rounds: number, batch: number) => Promise<Float64Array>;
  /** The paired floor of the rpc test: the same round trips, each awaited. */
  readonly floorRpc?: (rounds: number, batch: number) => Promise<Float64Array>;
  /** The paired throughput floor: only with a worker (see {@link floorRing}). */
  readonly floorThroughput?: (payloadBytes: number, messages: number) => Promise<number>;
  private readonly host: WorkerHost<StubReply> | null;
  private conn: Connection | null = null;
  /** Last raw ping sequence of the paired floor; sequences keep growing across chunks. */
  private floorPing = 0;
  /** An error that surfaced outside any awaited promise (an unawaited send that rejected). */
  private stray: unknown = null;
  private readonly onUnhandled = (reason: unknown) => {
    this.stray ??= reason;
  };

  constructor(
    readonly transport: StubTransport,
    private readonly runtime: RuntimeApi,
    private readonly Bench: BenchStubs,
    remote: Remote | null,
    private readonly timeoutMs: number,
  ) {
    this.host = remote?.host ?? null;
    if (remote !== null) {
      this.floorPingpong = (rounds, batch) => this.floorChunk(remote, rounds, batch, false);
      this.floorRpc = (rounds, batch) => this.floorChunk(remote, rounds, batch, true);
      this.floorThroughput = (payloadBytes, messages) => this.floorRing(remote, payloadBytes, messages);
    }
    // Sends in the hot loops are not awaited one by one (that would add a promise per message);
    // a rejection among them surfaces here and fails the run.
    process.on("unhandledRejection", this.onUnhandled);
  }

  async pingpong(rounds: number, batch: number): Promise<Float64Array> {
    const c = await this.connect(ROUND_TRIP_KEY);
    const samples = new Float64Array(rounds / batch);
    let i = 0;
    const work = new Promise<Float64Array>((resolve, reject) => {
      let t0 = performance.now();
      let inBatch = 0;
      // Event-driven, as Flounder code is: each pong's handler sends the next ping. It sends first and
      // checks after, as the floor's loop stores the next ping right after it sees the pong: the check
      // of every pong and the bookkeeping then overlap with the next ping's flight.
      c.onPong = (v) => {
        i += 1;
        if (i < rounds) void c.client.tx.ping(ROUND_TRIP_VALUE);
        if (v !== ROUND_TRIP_VALUE) {
          reject(new BenchError("WRONG_RESULT", `${this.transport}: pong ${v}, sent ${ROUND_TRIP_VALUE}`));
          return;
        }
        if (++inBatch === batch) {
          const t1 = performance.now();
          samples[i / batch - 1] = ((t1 - t0) * 1e6) / batch;
          t0 = t1;
          inBatch = 0;
        }
        if (i === rounds) resolve(samples);
      };
      void c.client.tx.ping(ROUND_TRIP_VALUE);
    });
    try {
      return await this.guarded(work, () => i, "pingpong");
    } finally {
      c.onPong = null;
    }
  }

  async rpc(rounds: number, batch: number): Promise<Float64Array> {
    const c = await this.connect(ROUND_TRIP_KEY);
    let i = 0;
    const work = (async () => {
      const samples = new Float64Array(rounds / batch);
      for (let s = 0; s < samples.length; s++) {
        const t0 = performance.now();
        for (let b = 0; b < batch; b++, i++) {
          const { result } = await c.client.rpc.echo(ROUND_TRIP_VALUE);
          if (result !== ROUND_TRIP_VALUE) {
            throw new BenchError("WRONG_RESULT", `${this.transport}: echo returned ${result}`);
          }
        }
        samples[s] = ((performance.now() - t0) * 1e6) / batch;
      }
      return samples;
    })();
    return this.guarded(work, () => i, "rpc");
  }

  /**
   * The raw-sab ping-pong between main and this suite's worker, exactly as RawSab.pingpong (or, `awaited`,
   * RawSab.rpc) runs it: the worker echoes synchronously (its stub dispatcher does not run meanwhile), so
   * the floor and the stub test take turns on the same two threads.
   */
  private async floorChunk(
    { host, raw }: Remote,
    rounds: number,
    batch: number,
    awaited: boolean,
  ): Promise<Float64Array> {
    const { timeoutMs } = this;
    const start = this.floorPing;
    // The awaited floor runs in microtask turns: main's dispatcher, still spinning after the stub chunk,
    // would take turns with it and slow it down (the synchronous floor blocks it instead).
    if (awaited) await this.dispatcherAsleep();
    host.post({ kind: "floor", start, count: rounds, timeoutMs });
    await host.next("armed", timeoutMs);
    const samples = new Float64Array(rounds / batch);
    const reached = awaited
      ? await awaitedPingRounds(raw, start, samples, batch, timeoutMs)
      : pingRounds(raw, start, samples, batch, timeoutMs);
    if (reached !== start + rounds) {
      return abortRawLoop(raw, host, `${this.transport} floor`, timeoutMs, `pong ${reached + 1}`);
    }
    this.floorPing = start + rounds;
    await host.next("finished", timeoutMs);
    return samples;
  }

  /**
   * Resolves once this thread's dispatcher has gone to sleep (it does after its spin budget P of idle
   * polling, a few ms at most), or after 50 ms; at once where the runtime has no counters.
   */
  private async dispatcherAsleep(): Promise<void> {
    const stats = this.runtime.dispatcherStats;
    if (stats === undefined) return;
    const before = stats().sleeps;
    for (let waited = 0; waited < 50 && stats().sleeps === before; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /**
   * A raw-sab ring run between main and this suite's worker, exactly as RawSab.throughput runs it (the
   * same sender and receiver, raw-ring.ts): the worker drains synchronously, so its stub dispatcher does
   * not run meanwhile, and the floor and the stub runs take turns on the same two threads. Resolves with
   * the run's nanoseconds once the receiver's sum is verified.
   */
  private async floorRing(
    { host, raw, ring }: Remote,
    payloadBytes: number,
    messages: number,
  ): Promise<number> {
    const { timeoutMs } = this;
    host.post({ kind: "floor-ring", payloadBytes, messages, startSeq: ring.seq, timeoutMs });
    await host.next("armed", timeoutMs);
    const elapsedNs = ring.send(payloadBytes, messages, timeoutMs);
    if (typeof elapsedNs === "string") {
      return abortRawLoop(raw, host, `${this.transport} floor ring`, timeoutMs, elapsedNs);
    }
    const { sum } = await host.next("finished", timeoutMs);
    checkRingSum(`${this.transport} floor`, payloadBytes, messages, sum);
    return elapsedNs;
  }

  async throughput(payloadBytes: number, messages: number): Promise<number> {
    const c = await this.connect(payloadBytes);
    await this.expect(c, messages);
    const send = senderFor(c.client, payloadBytes);
    let sent = 0;
    /** Where the loop is, for the TIMEOUT message (a stall here is usually a lost wake-up). */
    let phase = "sending";
    const done = new Promise<bigint>((resolve) => {
      c.onDone = resolve;
    });
    const work = (async () => {
      const t0 = performance.now();
      // Flounder's can_send / register_send: the transport bounds what is in flight (urpc: a ring of 16
      // messages; port: 16 credits; lrpc delivers before send returns), so no other window is needed.
      while (sent < messages) {
        if (!c.client.canSend()) {
          phase = "awaiting whenSendable()";
          await c.client.whenSendable();
          phase = "sending";
          continue;
        }
        void send();
        sent += 1;
      }
      phase = "awaiting the receiver's done()";
      const count = await done;
      const elapsed = (performance.now() - t0) * 1e6;
      if (count !== BigInt(messages)) {
        throw new BenchError("WRONG_RESULT", `${this.transport}: receiver counted ${count} of ${messages}`);
      }
      return elapsed;
    })();
    const elapsed = await this.guarded(
      work,
      () => sent,
      () =>
        `throughput ${payloadBytes} B (${phase}, ${sent} of ${messages} sent, canSend() ${c.client.canSend()})`,
    );
    c.onDone = null;
    await this.verify(c, payloadBytes, messages);
    return elapsed;
  }

  async close(): Promise<void> {
    try {
      // A transport that failed may not close cleanly either: bound the wait, then stop the worker anyway.
      await withTimeout(this.disconnect(), this.timeoutMs, `${this.transport} close`);
    } finally {
      process.off("unhandledRejection", this.onUnhandled);
      await this.host?.terminate();
    }
  }

  /** The connection for `key`, replacing the current one if it is for another test. */
  private async connect(key: number): Promise<Connection> {
    if (this.conn?.key === key) return this.conn;
    await this.disconnect();
    const [a, b] = this.pair(key);
    let local: StubServer | null = null;
    if (this.host === null) {
      local = bindServer(this.Bench, b);
    } else {
      const transfer = (this.runtime.transferList?.(b) ?? []) as TransferListItem[];
      this.host.post({ kind: "bind", endpoint: b }, transfer);
      await this.host.next("bound", this.timeoutMs);
    }
    const conn: Connection = {
      key,
      local,
      onPong: null,
      onDone: null,
      client: this.Bench.bind(a, {
        rx: {
          pong: (v) => conn.onPong?.(v),
          done: (count) => conn.onDone?.(count),
        },
      }),
    };
    this.conn = conn;
    return conn;
  }

  /** A connected pair sized for 16 messages of `payloadBytes` in flight (defaults for round trips). */
  private pair(payloadBytes: number): [unknown, unknown] {
    const options: PairOptions | undefined =
      payloadBytes === ROUND_TRIP_KEY
        ? undefined
        : this.transport === "urpc"
          ? // Rings are a power of two in lines: the smallest holding 16 messages (exact for 8 and 64 B).
            { lines: 2 ** Math.ceil(Math.log2(IN_FLIGHT * linesPerMessage(payloadBytes))) }
          : this.transport === "port"
            ? { credits: IN_FLIGHT }
            : undefined;
    return this.runtime.connectPair(this.transport, options);
  }

  private async disconnect(): Promise<void> {
    const c = this.conn;
    if (c === null) return;
    this.conn = null;
    await c.client.close();
    await c.local?.close();
    if (this.host !== null) {
      this.host.post({ kind: "unbind" });
      await this.host.next("unbound", this.timeoutMs);
    }
  }

  private async expect(c: Connection, messages: number): Promise<void> {
    if (c.local !== null) {
      c.local.expect(messages);
      return;
    }
    this.host?.post({ kind: "expect", count: messages });
    await this.host?.next("expecting", this.timeoutMs);
  }

  /** Compares the receiver's check value with what the sender sent. */
  private async verify(c: Connection, payloadBytes: number, messages: number): Promise<void> {
    let value: number;
    let error: string | null;
    if (c.local !== null) {
      value = c.local.check;
      error = c.local.error === null ? null : describeError(c.local.error);
    } else {
      this.host?.post({ kind: "check" });
      const got = await (this.host as WorkerHost<StubReply>).next("check", this.timeoutMs);
      value = got.value;
      error = got.error;
    }
    if (error !== null) throw new BenchError("WRONG_RESULT", `${this.transport} server: ${error}`);
    const expected = Math.imul(expectedCheck(payloadBytes), messages) | 0;
    if (value !== expected) {
      throw new BenchError(
        "WRONG_RESULT",
        `${this.transport}: receiver's check ${value}, expected ${expected}`,
      );
    }
  }

  private async guarded<T>(
    work: Promise<T>,
    progress: () => number,
    what: string | (() => string),
  ): Promise<T> {
    const name = () => `${this.transport} ${typeof what === "string" ? what : what()}`;
    const result = await guard(work, progress, this.host, this.timeoutMs, name);
    if (this.stray !== null) {
      throw new BenchError("WRONG_RESULT", `${name()}: a send failed: ${describeError(this.stray)}`);
    }
    return result;
  }
}
