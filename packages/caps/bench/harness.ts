/**
 * A small benchmark harness: warm-up, repeated timed rounds, median and spread of the rate, by
 * wall time and by this process's CPU time. The machines are shared (other agents' builds and
 * tests): the wall-time rate says what the run saw, the CPU-time rate what the code costs when it
 * has a CPU, which is the number to compare with the goals.
 */

/** Accumulates wall and CPU time over start/stop pairs. */
export class Stopwatch {
  wallMs = 0;
  cpuMs = 0;
  private wall0 = 0;
  private cpu0: NodeJS.CpuUsage = { user: 0, system: 0 };

  start(): void {
    this.cpu0 = process.cpuUsage();
    this.wall0 = performance.now();
  }

  stop(): void {
    this.wallMs += performance.now() - this.wall0;
    const c = process.cpuUsage(this.cpu0);
    this.cpuMs += (c.user + c.system) / 1000;
  }
}

/** A measured rate. */
export interface Rate {
  /** Median ops/s of wall time over the rounds. */
  readonly median: number;
  /** Lowest round's ops/s (wall). */
  readonly min: number;
  /** Highest round's ops/s (wall). */
  readonly max: number;
  /** Median ops/s of CPU time. */
  readonly cpuMedian: number;
  readonly rounds: number;
}

/**
 * Measures `body(n, sw)`, which performs n operations. A self-timed body brackets only the timed
 * part with `sw.start()`/`sw.stop()` (set-up between batches stays off the clock); otherwise the
 * harness times the whole call.
 */
export function measureRate(
  body: (n: number, sw: Stopwatch) => void,
  opsPerRound: number,
  rounds: number,
  selfTimed = false,
  warmupRounds = 2,
): Rate {
  for (let i = 0; i < warmupRounds; i++) body(opsPerRound, new Stopwatch());
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const sw = new Stopwatch();
    const round = new Stopwatch();
    round.start();
    if (!selfTimed) sw.start();
    body(opsPerRound, sw);
    if (!selfTimed) sw.stop();
    round.stop();
    wall.push(opsPerRound / (sw.wallMs / 1000));
    // CPU accounting over short intervals is coarse: take the round's CPU time, scaled by the share
    // of the round's wall time that was on the clock (all of it unless the body times itself).
    const cpuMs = round.cpuMs * (sw.wallMs / round.wallMs);
    cpu.push(opsPerRound / (Math.max(cpuMs, 0.001) / 1000));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return { median: med(wall), min: Math.min(...wall), max: Math.max(...wall), cpuMedian: med(cpu), rounds };
}

/** Formats a rate as "12.3 M/s". */
export function formatRate(r: number): string {
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)} M/s`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)} k/s`;
  return `${r.toFixed(0)} /s`;
}
