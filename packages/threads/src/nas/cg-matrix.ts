import { NPB_A, NPB_SEED, type Rng, randlc } from "./randlc.js";

/** A sparse matrix in compressed rows. */
export interface Csr {
  a: Float64Array;
  colidx: Int32Array;
  rowstr: Int32Array;
}

/**
 * NPB CG's `makea`: the random sparse symmetric positive-definite matrix of order n, built as a sum of
 * outer products of sparse random vectors with geometrically shrinking weights, plus (rcond - shift)
 * on the diagonal. Written from the NPB 3.x specification; the random stream must be consumed in
 * exactly NPB's order for zeta to verify. Serial, as in NPB's own OpenMP version's set-up.
 */
export function makeCgMatrix(n: number, nonzer: number, shift: number): Csr {
  const rcond = 0.1;
  const rng: Rng = { x: NPB_SEED };
  randlc(rng, NPB_A); // NPB draws one value (its initial "zeta") before makea
  let nn1 = 1;
  while (nn1 < n) nn1 *= 2;
  const per = nonzer + 1;
  const arow = new Int32Array(n);
  const acol = new Int32Array(n * per);
  const aelt = new Float64Array(n * per);
  const vc = new Float64Array(per);
  const ivc = new Int32Array(per);
  for (let iouter = 0; iouter < n; iouter++) {
    // sprnvc: nonzer distinct random positions in 1..n with random values
    let nzv = 0;
    while (nzv < nonzer) {
      const vecelt = randlc(rng, NPB_A);
      const vecloc = randlc(rng, NPB_A);
      const i = Math.trunc(nn1 * vecloc) + 1;
      if (i > n) continue;
      let dup = false;
      for (let k = 0; k < nzv; k++) if (ivc[k] === i) dup = true;
      if (dup) continue;
      vc[nzv] = vecelt;
      ivc[nzv] = i;
      nzv++;
    }
    // vecset: element iouter+1 becomes 0.5
    let set = false;
    for (let k = 0; k < nzv; k++) {
      if (ivc[k] === iouter + 1) {
        vc[k] = 0.5;
        set = true;
      }
    }
    if (!set) {
      vc[nzv] = 0.5;
      ivc[nzv] = iouter + 1;
      nzv++;
    }
    arow[iouter] = nzv;
    for (let k = 0; k < nzv; k++) {
      acol[iouter * per + k] = (ivc[k] as number) - 1;
      aelt[iouter * per + k] = vc[k] as number;
    }
  }
  return sparse(n, per, arow, acol, aelt, rcond, shift);
}

/** NPB's `sparse`: sums the outer products into sorted compressed rows, merging duplicates. */
function sparse(
  n: number,
  per: number,
  arow: Int32Array,
  acol: Int32Array,
  aelt: Float64Array,
  rcond: number,
  shift: number,
): Csr {
  const rowstr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const cnt = arow[i] as number;
    for (let k = 0; k < cnt; k++) {
      const j = (acol[i * per + k] as number) + 1;
      rowstr[j] = (rowstr[j] as number) + cnt;
    }
  }
  for (let j = 1; j <= n; j++) rowstr[j] = (rowstr[j] as number) + (rowstr[j - 1] as number);
  const cap = rowstr[n] as number;
  const v = new Float64Array(cap);
  const iv = new Int32Array(cap).fill(-1);
  const nzloc = new Int32Array(n);
  const ratio = rcond ** (1 / n);
  let size = 1;
  for (let i = 0; i < n; i++) {
    const cnt = arow[i] as number;
    for (let nza = 0; nza < cnt; nza++) {
      const j = acol[i * per + nza] as number;
      const scale = size * (aelt[i * per + nza] as number);
      for (let nzrow = 0; nzrow < cnt; nzrow++) {
        const jcol = acol[i * per + nzrow] as number;
        let va = (aelt[i * per + nzrow] as number) * scale;
        if (jcol === j && j === i) va = va + rcond - shift;
        const end = rowstr[j + 1] as number;
        let k = rowstr[j] as number;
        for (; k < end; k++) {
          const at = iv[k] as number;
          if (at > jcol) {
            // insert in order: shift the used tail of the row right by one
            for (let kk = end - 2; kk >= k; kk--) {
              if ((iv[kk] as number) > -1) {
                v[kk + 1] = v[kk] as number;
                iv[kk + 1] = iv[kk] as number;
              }
            }
            iv[k] = jcol;
            v[k] = 0;
            break;
          }
          if (at === -1) {
            iv[k] = jcol;
            break;
          }
          if (at === jcol) {
            nzloc[j] = (nzloc[j] as number) + 1;
            break;
          }
        }
        if (k === end) throw new Error("CG makea: row overflow (internal error)");
        v[k] = (v[k] as number) + va;
      }
    }
    size *= ratio;
  }
  for (let j = 1; j < n; j++) nzloc[j] = (nzloc[j] as number) + (nzloc[j - 1] as number);
  // Compact each row: drop the slots duplicates left unused.
  for (let j = 0; j < n; j++) {
    const j1 = j > 0 ? (rowstr[j] as number) - (nzloc[j - 1] as number) : 0;
    const j2 = (rowstr[j + 1] as number) - (nzloc[j] as number);
    let nza = rowstr[j] as number;
    for (let k = j1; k < j2; k++) {
      v[k] = v[nza] as number;
      iv[k] = iv[nza] as number;
      nza++;
    }
  }
  for (let j = 1; j <= n; j++) rowstr[j] = (rowstr[j] as number) - (nzloc[j - 1] as number);
  const nnz = rowstr[n] as number;
  return { a: v.slice(0, nnz), colidx: iv.slice(0, nnz), rowstr };
}
