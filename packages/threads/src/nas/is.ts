import { Layout } from "../memory/layout.js";
import { type MemoryArg, openMemory } from "../memory/open.js";
import { type Par, staticRange } from "../team/par.js";
import { IS_CLASSES, IS_ITERATIONS, type NasClass } from "./classes.js";
import { NPB_A, NPB_SEED, type Rng, randlc } from "./randlc.js";
import { viewI32 } from "./views.js";

/** What an IS run reports (from member 0). */
export interface IsResult {
  /** Partial verifications passed (5 per iteration) plus 1 for the full sort check. */
  passed: number;
  verified: boolean;
  seconds: number;
}

/** The IS region's argument. */
export interface IsArg {
  cls: NasClass;
  memory: MemoryArg;
}

/** Where IS keeps its arrays: keys, the ranking copy, the key counts and one histogram per member. */
export function isLayout(cls: NasClass, threads: number) {
  const c = IS_CLASSES[cls];
  const keys = 2 ** c.totalKeysLog2;
  const maxKey = 2 ** c.maxKeyLog2;
  const l = new Layout();
  const at = {
    keyArray: l.take(keys * 4),
    keyBuff2: l.take(keys * 4),
    keyBuff1: l.take(maxKey * 4),
    hist: l.take(threads * maxKey * 4),
  };
  return { ...at, keys, maxKey, bytes: l.size };
}

/**
 * NPB IS as a parallel region: member 0 generates the keys (NPB's create_seq), then each of the 10
 * ranking iterations counts every member's static share of the keys into its own histogram, merges
 * the histograms over a static share of the key range, and member 0 forms the prefix sums and runs
 * the partial verification. After the timed loop, member 0 sorts by the ranks and checks the order
 * (full_verify).
 */
export function isRegion(par: Par, arg: IsArg): IsResult | undefined {
  const c = IS_CLASSES[arg.cls];
  const L = isLayout(arg.cls, par.nthreads);
  const { keys, maxKey } = L;
  const mem = openMemory(arg.memory);
  const keyArray = viewI32(mem, L.keyArray, keys);
  const keyBuff2 = viewI32(mem, L.keyBuff2, keys);
  const keyBuff1 = viewI32(mem, L.keyBuff1, maxKey);
  const hist = viewI32(mem, L.hist + par.tid * maxKey * 4, maxKey);
  if (par.tid === 0) {
    const rng: Rng = { x: NPB_SEED };
    const k = maxKey / 4;
    for (let i = 0; i < keys; i++) {
      const x = randlc(rng, NPB_A) + randlc(rng, NPB_A) + randlc(rng, NPB_A) + randlc(rng, NPB_A);
      keyArray[i] = Math.trunc(k * x);
    }
  }
  par.barrier();
  const [klo, khi] = staticRange(0, keys, par.tid, par.nthreads);
  const [vlo, vhi] = staticRange(0, maxKey, par.tid, par.nthreads);
  const histograms = Array.from({ length: par.nthreads }, (_, t) =>
    viewI32(mem, L.hist + t * maxKey * 4, maxKey),
  );
  let passed = 0;
  const rank = (iteration: number): void => {
    const partial: number[] = [];
    if (par.tid === 0) {
      keyArray[iteration] = iteration;
      keyArray[iteration + IS_ITERATIONS] = maxKey - iteration;
      for (const i of c.testIndex) partial.push(keyArray[i] as number);
    }
    par.barrier();
    hist.fill(0);
    for (let i = klo; i < khi; i++) {
      const key = keyArray[i] as number;
      keyBuff2[i] = key;
      hist[key] = (hist[key] as number) + 1;
    }
    par.barrier();
    for (let v = vlo; v < vhi; v++) {
      let s = 0;
      for (const h of histograms) s += h[v] as number;
      keyBuff1[v] = s;
    }
    par.barrier();
    if (par.tid === 0) {
      for (let v = 1; v < maxKey; v++) keyBuff1[v] = (keyBuff1[v] as number) + (keyBuff1[v - 1] as number);
      passed += partialVerify(arg.cls, iteration, partial, keyBuff1, keys);
    }
    par.barrier();
  };
  const t0 = performance.now();
  for (let it = 1; it <= IS_ITERATIONS; it++) rank(it);
  const seconds = (performance.now() - t0) / 1000;
  if (par.tid !== 0) return undefined;
  // full_verify: place each key at its rank, then check the order.
  for (let i = 0; i < keys; i++) {
    const key = keyBuff2[i] as number;
    const at = (keyBuff1[key] as number) - 1;
    keyBuff1[key] = at;
    keyArray[at] = key;
  }
  let sorted = true;
  for (let i = 1; i < keys; i++) if ((keyArray[i - 1] as number) > (keyArray[i] as number)) sorted = false;
  if (sorted) passed++;
  return { passed, verified: passed === 5 * IS_ITERATIONS + 1, seconds };
}

/** NPB's partial verification of one iteration: how many of the 5 test keys have their published rank. */
function partialVerify(
  cls: NasClass,
  iteration: number,
  partial: number[],
  counts: Int32Array,
  keys: number,
): number {
  const ranks = IS_CLASSES[cls].testRank;
  let ok = 0;
  for (let i = 0; i < 5; i++) {
    const k = partial[i] as number;
    if (!(k > 0 && k <= keys - 1)) continue;
    const got = counts[k - 1] as number;
    const r = ranks[i] as number;
    // The published ranks drift with the iteration number in a class-specific way (NPB is.c).
    const want =
      cls === "S" ? (i <= 2 ? r + iteration : r - iteration) : i < 2 ? r + (iteration - 2) : r - iteration;
    if (got === want) ok++;
  }
  return ok;
}
