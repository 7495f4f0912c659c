/**
 * What a parallel region sees: its place in the team and the team-wide operations. The workloads are
 * written once against this (as an OpenMP program is written once), and run over the BOMP-like
 * runtime ({@link TeamContext}) or over the plain worker_threads baseline, as the paper runs the same
 * NAS code over BOMP and over GOMP.
 */
export interface Par {
  /** This member's number, 0 ≤ tid < nthreads. */
  readonly tid: number;
  readonly nthreads: number;
  /** Waits until every member has arrived (an `omp barrier`). */
  barrier(): void;
  /** All-reduce: every member passes its part and gets the sum, added in tid order (deterministic). */
  sum(part: number): number;
  /**
   * A dynamically scheduled loop over [lo, hi): members grab chunks of `chunk` iterations from a shared
   * counter until none are left, then wait for each other (implicit barrier, as `omp for schedule(dynamic)`).
   */
  dynamic(lo: number, hi: number, chunk: number, body: (from: number, to: number) => void): void;
}

/** The static schedule: member `tid`'s contiguous share of [lo, hi) (`schedule(static)`). */
export function staticRange(lo: number, hi: number, tid: number, nthreads: number): [number, number] {
  const n = hi - lo;
  const base = Math.floor(n / nthreads);
  const extra = n % nthreads;
  const from = lo + tid * base + Math.min(tid, extra);
  return [from, from + base + (tid < extra ? 1 : 0)];
}

/** A region: a function exported by a module, run on every member with the same argument. */
export type Region<A, R> = (par: Par, arg: A) => R;
