/**
 * Progress while the transport benchmark runs, through the runner's context (stderr, so stdout carries
 * only the report): each step numbered, `[ 3/48] urpc throughput 8 B`, and notes that stay.
 */
import type { SuiteContext } from "../contract.js";

/** Where progress goes; tests pass a silent one. */
export interface Progress {
  /** A step is starting (`urpc pingpong`, `raw-sab throughput 64 B`). */
  step(label: string): void;
  /** A line that stays (a skipped transport, a failed test). */
  note(line: string): void;
}

/** Progress through `ctx`, numbering `total` steps (a terminal redraws the step line in place). */
export function contextProgress(ctx: SuiteContext, total: number): Progress {
  let done = 0;
  return {
    step(label) {
      done += 1;
      const text = `[${String(done).padStart(2)}/${total}] ${label}`;
      if (ctx.step !== undefined) ctx.step(text);
      else ctx.log(text);
    },
    note(line) {
      ctx.log(line);
    },
  };
}

/** Progress that prints nothing. */
export const silentProgress: Progress = { step() {}, note() {} };
