import { Layout } from "../memory/layout.js";
import { type MemoryArg, openMemory } from "../memory/open.js";
import { type Par, staticRange } from "../team/par.js";
import { FT_CLASSES, type NasClass } from "./classes.js";
import { LineFft } from "./fft.js";
import { ipow46, NPB_A, NPB_SEED, type Rng, randlc, vranlc } from "./randlc.js";
import { viewF64 } from "./views.js";

/** What an FT run reports (from member 0). */
export interface FtResult {
  /** (re, im) per iteration. */
  checksums: [number, number][];
  verified: boolean;
  seconds: number;
}

/** The FT region's argument. */
export interface FtArg {
  cls: NasClass;
  memory: MemoryArg;
}

/** Where FT keeps its grids: u0 (the evolving spectrum), u1 (the field), the exponent factors. */
export function ftLayout(cls: NasClass) {
  const { nx, ny, nz } = FT_CLASSES[cls];
  const total = nx * ny * nz;
  const l = new Layout();
  return { u0: l.take(total * 16), u1: l.take(total * 16), twiddle: l.take(total * 8), total, bytes: l.size };
}

const ALPHA = 1e-6;

/**
 * NPB FT as a parallel region: the initial field from NPB's random stream (each member jumps the
 * generator to its own z planes), a forward 3-D FFT, then per iteration the spectrum is multiplied by
 * exp(-4απ²|k|²) and transformed back, and member 0 takes NPB's 1024-point checksum. Each 3-D FFT is
 * three passes of independent 1-D FFTs (x, y, z lines), statically shared, with a barrier between.
 */
export function ftRegion(par: Par, arg: FtArg): FtResult | undefined {
  const c = FT_CLASSES[arg.cls];
  const { nx, ny, nz } = c;
  const L = ftLayout(arg.cls);
  const mem = openMemory(arg.memory);
  const u0 = viewF64(mem, L.u0, 2 * L.total);
  const u1 = viewF64(mem, L.u1, 2 * L.total);
  const tw = viewF64(mem, L.twiddle, L.total);
  const [klo, khi] = staticRange(0, nz, par.tid, par.nthreads);
  // compute_indexmap: the exponent factor of each wave number
  const ap = -4 * ALPHA * Math.PI * Math.PI;
  const wrap = (i: number, n: number) => ((i + n / 2) % n) - n / 2;
  for (let k = klo; k < khi; k++) {
    const kk = wrap(k, nz);
    for (let j = 0; j < ny; j++) {
      const jj = wrap(j, ny);
      for (let i = 0; i < nx; i++) {
        const ii = wrap(i, nx);
        tw[(k * ny + j) * nx + i] = Math.exp(ap * (ii * ii + jj * jj + kk * kk));
      }
    }
  }
  // compute_initial_conditions: plane k starts 2·nx·ny·k steps into the stream
  const jump = ipow46(NPB_A, 2 * nx * ny);
  const start: Rng = { x: NPB_SEED };
  for (let k = 0; k < klo; k++) randlc(start, jump);
  for (let k = klo; k < khi; k++) {
    const x0: Rng = { x: start.x };
    for (let j = 0; j < ny; j++) vranlc(2 * nx, x0, NPB_A, u1, 2 * (k * ny + j) * nx);
    randlc(start, jump);
  }
  par.barrier();
  const t0 = performance.now();
  const fx = new LineFft(nx);
  const fy = new LineFft(ny);
  const fz = new LineFft(nz);
  const fft3 = (u: Float64Array, sign: 1 | -1) => {
    for (let k = klo; k < khi; k++) {
      for (let j = 0; j < ny; j++) {
        fx.load(u, (k * ny + j) * nx, 1);
        fx.run(sign);
        fx.store(u, (k * ny + j) * nx, 1);
      }
      for (let i = 0; i < nx; i++) {
        fy.load(u, k * ny * nx + i, nx);
        fy.run(sign);
        fy.store(u, k * ny * nx + i, nx);
      }
    }
    par.barrier(); // the z lines cross every member's planes
    const [jlo, jhi] = staticRange(0, ny, par.tid, par.nthreads);
    for (let j = jlo; j < jhi; j++) {
      for (let i = 0; i < nx; i++) {
        fz.load(u, j * nx + i, nx * ny);
        fz.run(sign);
        fz.store(u, j * nx + i, nx * ny);
      }
    }
    par.barrier();
  };
  const lo = 2 * klo * ny * nx;
  const hi = 2 * khi * ny * nx;
  u0.set(u1.subarray(lo, hi), lo);
  par.barrier();
  fft3(u0, -1);
  const checksums: [number, number][] = [];
  for (let iter = 1; iter <= c.niter; iter++) {
    // evolve: u0 *= twiddle (cumulatively), u1 = u0
    for (let e = lo; e < hi; e += 2) {
      const t = tw[e >> 1] as number;
      const re = (u0[e] as number) * t;
      const im = (u0[e + 1] as number) * t;
      u0[e] = re;
      u0[e + 1] = im;
      u1[e] = re;
      u1[e + 1] = im;
    }
    par.barrier();
    fft3(u1, 1);
    if (par.tid === 0) {
      let re = 0;
      let im = 0;
      for (let j = 1; j <= 1024; j++) {
        const at = 2 * ((((5 * j) % nz) * ny + ((3 * j) % ny)) * nx + (j % nx));
        re += u1[at] as number;
        im += u1[at + 1] as number;
      }
      checksums.push([re / L.total, im / L.total]);
    }
    // nobody transforms u1 again before the next evolve, which the checksum's reads precede
    par.barrier();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (par.tid !== 0) return undefined;
  const verified = checksums.every(([re, im], i) => {
    const [er, ei] = c.checksums[i] as readonly [number, number];
    return Math.hypot(re - er, im - ei) / Math.hypot(er, ei) <= 1e-12;
  });
  return { checksums, verified, seconds };
}
