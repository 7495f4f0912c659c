import { Layout } from "../memory/layout.js";
import { type MemoryArg, openMemory } from "../memory/open.js";
import { type Par, staticRange } from "../team/par.js";
import { makeCgMatrix } from "./cg-matrix.js";
import { CG_CLASSES, type NasClass } from "./classes.js";
import { viewF64, viewI32 } from "./views.js";

/** What a CG run reports (from member 0). */
export interface CgResult {
  zeta: number;
  verified: boolean;
  seconds: number;
}

/** The CG region's argument. */
export interface CgArg {
  cls: NasClass;
  memory: MemoryArg;
}

/** Where CG keeps its arrays in the shared memory (the same on every member). */
export function cgLayout(cls: NasClass) {
  const { na, nonzer } = CG_CLASSES[cls];
  const nz = na * (nonzer + 1) * (nonzer + 1);
  const l = new Layout();
  const at = {
    a: l.take(nz * 8),
    colidx: l.take(nz * 4),
    rowstr: l.take((na + 1) * 4),
    x: l.take(na * 8),
    z: l.take(na * 8),
    p: l.take(na * 8),
    q: l.take(na * 8),
    r: l.take(na * 8),
  };
  return { ...at, nz, bytes: l.size };
}

/**
 * NPB CG as a parallel region: member 0 builds the matrix, then every member runs the NITER outer
 * iterations of 25 conjugate-gradient steps on its static block of rows, with reductions for the dot
 * products and barriers where a step reads vectors others wrote.
 */
export function cgRegion(par: Par, arg: CgArg): CgResult | undefined {
  const { na, niter, shift, zeta: expected, nonzer } = CG_CLASSES[arg.cls];
  const L = cgLayout(arg.cls);
  const mem = openMemory(arg.memory);
  const rowstr = viewI32(mem, L.rowstr, na + 1);
  if (par.tid === 0) {
    const m = makeCgMatrix(na, nonzer, shift);
    viewF64(mem, L.a, m.a.length).set(m.a);
    viewI32(mem, L.colidx, m.colidx.length).set(m.colidx);
    rowstr.set(m.rowstr);
  }
  const [lo, hi] = staticRange(0, na, par.tid, par.nthreads);
  const x = viewF64(mem, L.x, na);
  const z = viewF64(mem, L.z, na);
  for (let j = lo; j < hi; j++) x[j] = 1;
  par.barrier();
  const nnz = rowstr[na] as number;
  const v = { a: viewF64(mem, L.a, nnz), colidx: viewI32(mem, L.colidx, nnz), rowstr, x, z };
  const w = { p: viewF64(mem, L.p, na), q: viewF64(mem, L.q, na), r: viewF64(mem, L.r, na) };
  const t0 = performance.now();
  let zeta = 0;
  for (let it = 1; it <= niter; it++) {
    conjGrad(par, lo, hi, v, w);
    let s1 = 0;
    let s2 = 0;
    for (let j = lo; j < hi; j++) {
      s1 += (x[j] as number) * (z[j] as number);
      s2 += (z[j] as number) * (z[j] as number);
    }
    const normTemp1 = par.sum(s1);
    const normTemp2 = 1 / Math.sqrt(par.sum(s2));
    zeta = shift + 1 / normTemp1;
    for (let j = lo; j < hi; j++) x[j] = normTemp2 * (z[j] as number);
  }
  par.barrier();
  const seconds = (performance.now() - t0) / 1000;
  if (par.tid !== 0) return undefined;
  return { zeta, verified: Math.abs(zeta - expected) / expected <= 1e-10, seconds };
}

interface CgVectors {
  a: Float64Array;
  colidx: Int32Array;
  rowstr: Int32Array;
  x: Float64Array;
  z: Float64Array;
}

function spmv(lo: number, hi: number, m: CgVectors, src: Float64Array, dst: Float64Array): void {
  const { a, colidx, rowstr } = m;
  for (let j = lo; j < hi; j++) {
    let s = 0;
    const end = rowstr[j + 1] as number;
    for (let k = rowstr[j] as number; k < end; k++)
      s += (a[k] as number) * (src[colidx[k] as number] as number);
    dst[j] = s;
  }
}

/** NPB's conj_grad on rows [lo, hi); returns ‖x - A z‖. */
function conjGrad(
  par: Par,
  lo: number,
  hi: number,
  m: CgVectors,
  w: { p: Float64Array; q: Float64Array; r: Float64Array },
): number {
  const { x, z } = m;
  const { p, q, r } = w;
  let part = 0;
  for (let j = lo; j < hi; j++) {
    q[j] = 0;
    z[j] = 0;
    const xj = x[j] as number;
    r[j] = xj;
    p[j] = xj;
    part += xj * xj;
  }
  let rho = par.sum(part); // its barrier also publishes p
  for (let cgit = 1; cgit <= 25; cgit++) {
    spmv(lo, hi, m, p, q);
    part = 0;
    for (let j = lo; j < hi; j++) part += (p[j] as number) * (q[j] as number);
    const alpha = rho / par.sum(part);
    part = 0;
    for (let j = lo; j < hi; j++) {
      z[j] = (z[j] as number) + alpha * (p[j] as number);
      const rj = (r[j] as number) - alpha * (q[j] as number);
      r[j] = rj;
      part += rj * rj;
    }
    const rho0 = rho;
    rho = par.sum(part);
    const beta = rho / rho0;
    for (let j = lo; j < hi; j++) p[j] = (r[j] as number) + beta * (p[j] as number);
    par.barrier(); // the next product reads every member's p
  }
  spmv(lo, hi, m, z, r);
  part = 0;
  for (let j = lo; j < hi; j++) {
    const d = (x[j] as number) - (r[j] as number);
    part += d * d;
  }
  return Math.sqrt(par.sum(part));
}
