import { Layout } from "../memory/layout.js";
import { type MemoryArg, openMemory } from "../memory/open.js";
import { viewF64, viewI32 } from "../nas/views.js";
import { type Par, staticRange } from "../team/par.js";

/** The Barnes-Hut region's argument. */
export interface BarnesArg {
  bodies: number;
  /** Opening angle: a cell of size s at distance d is taken whole when s/d < theta. */
  theta: number;
  memory: MemoryArg;
  /** Also compute exact O(n²) forces for the first `check` bodies and report the worst relative error. */
  check?: number;
}

/** What a step reports (from member 0). */
export interface BarnesResult {
  seconds: number;
  /**
   * Relative force error over the checked bodies, sqrt(Σ|F_tree - F_direct|² / Σ|F_direct|²) (0 when
   * none checked). A per-body ratio is meaningless near the cube's centre, where the net force is ~0.
   */
  relError: number;
  /** Sum of all accelerations' x components (a cheap fingerprint of the step). */
  checksum: number;
}

const EPS2 = 1e-4; // softening, the same in tree and direct sums
const DT = 0.01;
const EMPTY = -1;

/** Where the step keeps bodies (position, velocity, acceleration) and the octree. */
export function barnesLayout(bodies: number) {
  const cells = 2 * bodies + 64;
  const l = new Layout();
  const at = {
    pos: l.take(bodies * 24),
    vel: l.take(bodies * 24),
    acc: l.take(bodies * 24),
    // per cell: 8 children (EMPTY, cell c ≥ 0, or body b as -(b + 2)); mass, centre of mass, centre, half size
    child: l.take(cells * 32),
    cell: l.take(cells * 64),
  };
  return { ...at, cells, bytes: l.size };
}

/**
 * One Barnes-Hut time step (the SPLASH-2 stand-in): member 0 builds the octree and its centres of
 * mass (serial, as a small fraction of the work), then every member computes the forces on bodies
 * taken from a dynamic schedule (the costs differ per body), and the bodies advance (static). Bodies
 * start uniformly in the unit cube from NPB's generator.
 */
export function barnesRegion(par: Par, arg: BarnesArg): BarnesResult | undefined {
  const n = arg.bodies;
  const L = barnesLayout(n);
  const mem = openMemory(arg.memory);
  const pos = viewF64(mem, L.pos, 3 * n);
  const vel = viewF64(mem, L.vel, 3 * n);
  const acc = viewF64(mem, L.acc, 3 * n);
  const child = viewI32(mem, L.child, 8 * L.cells);
  const cell = viewF64(mem, L.cell, 8 * L.cells);
  if (par.tid === 0) initBodies(pos, n);
  par.barrier();
  const t0 = performance.now();
  if (par.tid === 0) buildTree(pos, n, child, cell, L.cells);
  par.barrier();
  const theta2 = arg.theta * arg.theta;
  const stack = new Int32Array(64 * 8);
  par.dynamic(0, n, 32, (from, to) => {
    for (let b = from; b < to; b++) treeForce(b, pos, child, cell, theta2, stack, acc);
  });
  const [lo, hi] = staticRange(0, n, par.tid, par.nthreads);
  let part = 0;
  for (let e = 3 * lo; e < 3 * hi; e++) {
    vel[e] = (vel[e] as number) + DT * (acc[e] as number);
    if (e % 3 === 0) part += acc[e] as number;
  }
  const checksum = par.sum(part);
  for (let e = 3 * lo; e < 3 * hi; e++) pos[e] = (pos[e] as number) + DT * (vel[e] as number);
  par.barrier();
  const seconds = (performance.now() - t0) / 1000;
  if (par.tid !== 0) return undefined;
  let err2 = 0;
  let f2 = 0;
  const initial = new Float64Array(3 * n);
  if ((arg.check ?? 0) > 0) {
    initBodies(initial, n);
    for (let b = 0; b < Math.min(arg.check ?? 0, n); b++) {
      const [dx, dy, dz] = directForce(b, initial, n);
      const ex = (acc[3 * b] as number) - dx;
      const ey = (acc[3 * b + 1] as number) - dy;
      const ez = (acc[3 * b + 2] as number) - dz;
      err2 += ex * ex + ey * ey + ez * ez;
      f2 += dx * dx + dy * dy + dz * dz;
    }
  }
  return { seconds, relError: f2 > 0 ? Math.sqrt(err2 / f2) : 0, checksum };
}

function initBodies(pos: Float64Array, n: number): void {
  // A deterministic LCG (NPB's multiplier mod 2^46 would do; a 32-bit one is plenty here).
  let s = 12345;
  for (let e = 0; e < 3 * n; e++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    pos[e] = s / 2 ** 32;
  }
}

/** Builds the octree over [0,1)³ in the shared arrays; cell 0 is the root. Equal masses 1/n. */
function buildTree(pos: Float64Array, n: number, child: Int32Array, cell: Float64Array, cap: number): void {
  child.fill(EMPTY);
  let cells = 1;
  // cell fields: 0 mass, 1-3 centre of mass, 4-6 geometric centre, 7 half size
  cell.fill(0, 0, 8);
  cell[4] = 0.5;
  cell[5] = 0.5;
  cell[6] = 0.5;
  cell[7] = 0.5;
  const octant = (c: number, b: number) =>
    ((pos[3 * b] as number) >= (cell[8 * c + 4] as number) ? 1 : 0) +
    ((pos[3 * b + 1] as number) >= (cell[8 * c + 5] as number) ? 2 : 0) +
    ((pos[3 * b + 2] as number) >= (cell[8 * c + 6] as number) ? 4 : 0);
  const newCell = (parent: number, o: number): number => {
    if (cells >= cap) throw new Error("Barnes-Hut: octree out of cells (coincident bodies?)");
    const c = cells++;
    const h = (cell[8 * parent + 7] as number) / 2;
    cell.fill(0, 8 * c, 8 * c + 4);
    cell[8 * c + 4] = (cell[8 * parent + 4] as number) + (o & 1 ? h : -h);
    cell[8 * c + 5] = (cell[8 * parent + 5] as number) + (o & 2 ? h : -h);
    cell[8 * c + 6] = (cell[8 * parent + 6] as number) + (o & 4 ? h : -h);
    cell[8 * c + 7] = h;
    return c;
  };
  for (let b = 0; b < n; b++) {
    let c = 0;
    for (let depth = 0; ; depth++) {
      if (depth > 60) throw new Error("Barnes-Hut: octree too deep (coincident bodies?)");
      const o = octant(c, b);
      const slot = 8 * c + o;
      const at = child[slot] as number;
      if (at === EMPTY) {
        child[slot] = -(b + 2);
        break;
      }
      if (at >= 0) {
        c = at;
        continue;
      }
      // a body is there: split into a new cell holding it, then descend
      const other = -at - 2;
      const nc = newCell(c, o);
      child[8 * nc + octant(nc, other)] = -(other + 2);
      child[slot] = nc;
      c = nc;
    }
  }
  summarise(0, pos, child, cell, 1 / n);
}

/** Post-order centres of mass. */
function summarise(c: number, pos: Float64Array, child: Int32Array, cell: Float64Array, m: number): void {
  let mass = 0;
  let x = 0;
  let y = 0;
  let z = 0;
  for (let o = 0; o < 8; o++) {
    const at = child[8 * c + o] as number;
    if (at === EMPTY) continue;
    if (at >= 0) {
      summarise(at, pos, child, cell, m);
      const cm = cell[8 * at] as number;
      mass += cm;
      x += cm * (cell[8 * at + 1] as number);
      y += cm * (cell[8 * at + 2] as number);
      z += cm * (cell[8 * at + 3] as number);
    } else {
      const b = -at - 2;
      mass += m;
      x += m * (pos[3 * b] as number);
      y += m * (pos[3 * b + 1] as number);
      z += m * (pos[3 * b + 2] as number);
    }
  }
  cell[8 * c] = mass;
  cell[8 * c + 1] = x / mass;
  cell[8 * c + 2] = y / mass;
  cell[8 * c + 3] = z / mass;
}

function treeForce(
  b: number,
  pos: Float64Array,
  child: Int32Array,
  cell: Float64Array,
  theta2: number,
  stack: Int32Array,
  acc: Float64Array,
): void {
  const px = pos[3 * b] as number;
  const py = pos[3 * b + 1] as number;
  const pz = pos[3 * b + 2] as number;
  const m = (cell[0] as number) / (pos.length / 3);
  let ax = 0;
  let ay = 0;
  let az = 0;
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const c = stack[--sp] as number;
    for (let o = 0; o < 8; o++) {
      const at = child[8 * c + o] as number;
      if (at === EMPTY) continue;
      let qx: number;
      let qy: number;
      let qz: number;
      let qm: number;
      if (at < 0) {
        const q = -at - 2;
        if (q === b) continue;
        qx = pos[3 * q] as number;
        qy = pos[3 * q + 1] as number;
        qz = pos[3 * q + 2] as number;
        qm = m;
      } else {
        qx = cell[8 * at + 1] as number;
        qy = cell[8 * at + 2] as number;
        qz = cell[8 * at + 3] as number;
        const dx = qx - px;
        const dy = qy - py;
        const dz = qz - pz;
        const size = 2 * (cell[8 * at + 7] as number);
        if (size * size >= theta2 * (dx * dx + dy * dy + dz * dz)) {
          stack[sp++] = at; // too close: open the cell
          continue;
        }
        qm = cell[8 * at] as number;
      }
      const dx = qx - px;
      const dy = qy - py;
      const dz = qz - pz;
      const r2 = dx * dx + dy * dy + dz * dz + EPS2;
      const f = qm / (r2 * Math.sqrt(r2));
      ax += f * dx;
      ay += f * dy;
      az += f * dz;
    }
  }
  acc[3 * b] = ax;
  acc[3 * b + 1] = ay;
  acc[3 * b + 2] = az;
}

/** The exact softened acceleration on body b (unit G, masses 1/n). */
export function directForce(b: number, pos: Float64Array, n: number): [number, number, number] {
  const px = pos[3 * b] as number;
  const py = pos[3 * b + 1] as number;
  const pz = pos[3 * b + 2] as number;
  let ax = 0;
  let ay = 0;
  let az = 0;
  for (let q = 0; q < n; q++) {
    if (q === b) continue;
    const dx = (pos[3 * q] as number) - px;
    const dy = (pos[3 * q + 1] as number) - py;
    const dz = (pos[3 * q + 2] as number) - pz;
    const r2 = dx * dx + dy * dy + dz * dz + EPS2;
    const f = 1 / n / (r2 * Math.sqrt(r2));
    ax += f * dx;
    ay += f * dy;
    az += f * dz;
  }
  return [ax, ay, az];
}
