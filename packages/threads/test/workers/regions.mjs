// Test regions for the team runtime (built JS, loaded by members by URL).
import { SabMemory } from "../../dist/src/index.js";

/** Every index of [0, n) is claimed exactly once by the dynamic schedule; returns my count. */
export function dynamicOnce(par, { n, chunk, memory }) {
  const mem = SabMemory.open(memory);
  let mine = 0;
  par.dynamic(0, n, chunk, (from, to) => {
    for (let i = from; i < to; i++) mem.add32(4 * i, 1);
    mine += to - from;
  });
  // a second loop reuses the other counter; a third the first again (reset correctly?)
  par.dynamic(0, n, chunk, (from, to) => {
    for (let i = from; i < to; i++) mem.add32(4 * i, 1);
  });
  par.dynamic(0, n, chunk, (from, to) => {
    for (let i = from; i < to; i++) mem.add32(4 * i, 1);
  });
  return mine;
}

/** Sum of tids, reduced 50 times in a row (parity reuse of the slots). */
export function sums(par) {
  const out = [];
  for (let r = 0; r < 50; r++) out.push(par.sum(par.tid + r));
  return out;
}

/** Member 1 throws after the others reach a barrier. */
export function throwsInMember1(par) {
  if (par.tid === 1) throw new RangeError("member 1 gave up");
  par.barrier();
  return par.tid;
}
