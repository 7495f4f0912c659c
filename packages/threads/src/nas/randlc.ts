/**
 * NPB's pseudo-random generator: x_{k+1} = a · x_k mod 2^46, returned as x / 2^46, computed exactly
 * in doubles by splitting the operands into 23-bit halves (NPB's randlc/vranlc, written anew).
 */
const R23 = 2 ** -23;
const T23 = 2 ** 23;
const R46 = R23 * R23;
const T46 = T23 * T23;

/** The seed and multiplier every NPB kernel starts from. */
export const NPB_SEED = 314159265;
export const NPB_A = 1220703125;

/** A generator state (the `x` NPB passes by pointer). */
export interface Rng {
  x: number;
}

/** Advances `s` by one step with multiplier `a` and returns the new value in (0, 1). */
export function randlc(s: Rng, a: number): number {
  const a1 = Math.floor(R23 * a);
  const a2 = a - T23 * a1;
  const x1 = Math.floor(R23 * s.x);
  const x2 = s.x - T23 * x1;
  const t1 = a1 * x2 + a2 * x1;
  const t2 = Math.floor(R23 * t1);
  const z = t1 - T23 * t2;
  const t3 = T23 * z + a2 * x2;
  const t4 = Math.floor(R46 * t3);
  s.x = t3 - T46 * t4;
  return R46 * s.x;
}

/** Fills y[off..off+n) with the next n values (NPB's vranlc). */
export function vranlc(n: number, s: Rng, a: number, y: Float64Array, off: number): void {
  for (let i = 0; i < n; i++) y[off + i] = randlc(s, a);
}

/** a^e mod 2^46 (NPB's ipow46), to jump a generator ahead by e steps with one multiplier. */
export function ipow46(a: number, e: number): number {
  if (e === 0) return 1;
  const q: Rng = { x: a };
  const r: Rng = { x: 1 };
  let n = e;
  while (n > 1) {
    const n2 = Math.floor(n / 2);
    if (n2 * 2 === n) {
      randlc(q, q.x);
      n = n2;
    } else {
      randlc(r, q.x);
      n -= 1;
    }
  }
  randlc(r, q.x);
  return r.x;
}
