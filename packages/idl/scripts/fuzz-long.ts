/**
 * The long run of the mutation property test: `pnpm fuzz:long [RUNS] [SEED]` (default one million
 * cases, a random seed). Prints progress, and on failure the seed, the counterexample path and the
 * shrunk input, so that `pnpm fuzz:long RUNS SEED` replays it.
 */
import fc from "fast-check";
import { mutatedCorpusFile, violation } from "../test/mutations.js";

const runs = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const started = performance.now();
let done = 0;
console.log(`fuzz-long: ${runs} cases, seed ${seed}`);
const result = fc.check(
  fc.property(mutatedCorpusFile(), ({ file, text }) => {
    done++;
    if (done % 50_000 === 0) {
      const s = (performance.now() - started) / 1000;
      console.log(`  ${done} cases, ${s.toFixed(0)} s, ${(done / s).toFixed(0)} cases/s`);
    }
    const v = violation(file, text);
    if (v) throw new Error(v);
  }),
  { numRuns: runs, seed },
);
if (result.failed) {
  console.error(fc.defaultReportMessage(result));
  process.exitCode = 1;
} else {
  console.log(`fuzz-long: ${runs} cases passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
