/**
 * The measured loops, shared by the domains (through the OS) and the raw baselines (the bare runtime),
 * so that both sides of every comparison run the very same code over a PingPong binding.
 */

/** Where a binding's `pong` handler hands its value: the loop that waits sets `next`. */
export class PongSink {
  next: (val: bigint) => void = () => {};
  /** The rx handler to bind with: `{ rx: { pong: (v) => sink.pong(v) } }`. */
  pong(val: bigint): void {
    this.next(val);
  }
}

/** What the loops need of a PingPong binding. */
export interface PingPongLike {
  readonly tx: { ping(val: bigint): Promise<void> };
}

/**
 * One-way latency in ns: `count` ping-pong round trips (ping -> pong(val + 1)), each waited for,
 * halved, as the paper's Tables 1 and 2 report. Throws when an answer is wrong.
 */
export async function oneWayNs(pp: PingPongLike, sink: PongSink, count: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const want = BigInt(i) + 1n;
    const got = await new Promise<bigint>((resolve) => {
      sink.next = resolve;
      void pp.tx.ping(BigInt(i));
    });
    if (got !== want) throw new Error(`ping ${i}: expected pong ${want}, got ${got}`);
  }
  return ((performance.now() - t0) * 1e6) / count / 2;
}

/**
 * Pipelined throughput in messages per second: `count` pings with up to `window` unanswered, each pong
 * releasing the next ping (a message each way is counted once: the rate of pings answered).
 */
export function pipelinedPerS(
  pp: PingPongLike,
  sink: PongSink,
  count: number,
  window: number,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let sent = 0;
    let answered = 0;
    const t0 = performance.now();
    const send = (): void => {
      pp.tx.ping(BigInt(sent++)).catch(reject);
    };
    sink.next = () => {
      answered++;
      if (answered === count) resolve((count * 1000) / (performance.now() - t0));
      else if (sent < count) send();
    };
    for (let i = 0; i < Math.min(window, count); i++) send();
  });
}

/**
 * Runs `chunk` until `ms` have passed: the warm-up before a measurement, long enough for V8 to compile
 * the whole path at its top tier (a count-based warm-up of a few thousand round trips was not: it left
 * 5-10x between runs).
 */
export async function warmUp(chunk: () => Promise<unknown>, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) await chunk();
}

/** The median of `xs` (NaN for none). */
export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;

/** Messages in flight in the pipelined runs (as the runtime suite's throughput rows). */
export const WINDOW = 16;
