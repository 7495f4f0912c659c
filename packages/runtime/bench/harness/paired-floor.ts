/**
 * The arithmetic of the paired floor (measure.ts): a round-trip test's measured batches are cut into
 * chunks, each chunk runs right after a floor chunk of the same size on the same two threads, and the
 * row's ratio to the floor is the median of the per-pair ratios; a throughput test's runs each follow a
 * floor run of as many messages, and its rate ratio is the median of the per-pair rate ratios. On these VMs the core-to-core latency
 * jumps between modes (raw ping-pong ~100 ns in one, ~500 ns in another) from one second to the next;
 * a pair sees one mode far more often than two, so the median pair is a same-mode comparison.
 */
import { quantileSorted } from "./stats.js";

/** Chunk pairs a round-trip test is split into (fewer when there are too few batches). */
export const FLOOR_PAIRS = 32;
/** Fewest batches in a chunk: its median should be over more than a handful of samples. */
export const MIN_CHUNK_BATCHES = 8;

/**
 * Batches per chunk for `totalBatches` measured batches: at most {@link FLOOR_PAIRS} chunks of at least
 * {@link MIN_CHUNK_BATCHES} batches (one chunk when there are fewer), as even as possible, summing to
 * `totalBatches`.
 */
export function chunkBatches(totalBatches: number): number[] {
  if (!(Number.isInteger(totalBatches) && totalBatches > 0)) {
    throw new RangeError(`chunkBatches needs a positive whole number of batches, got ${totalBatches}`);
  }
  const pairs = Math.max(1, Math.min(FLOOR_PAIRS, Math.floor(totalBatches / MIN_CHUNK_BATCHES)));
  const base = Math.floor(totalBatches / pairs);
  const extra = totalBatches - base * pairs;
  return Array.from({ length: pairs }, (_, k) => base + (k < extra ? 1 : 0));
}

/**
 * The row's time ratio to the floor: the median (nearest rank, as every statistic of the bench) over
 * pairs of test chunk median ÷ floor chunk median. `floorMedians[k]` and `testMedians[k]` are pair k.
 */
export function pairedFloorRatio(floorMedians: ArrayLike<number>, testMedians: ArrayLike<number>): number {
  const n = floorMedians.length;
  if (n === 0 || testMedians.length !== n) {
    throw new RangeError(
      `pairedFloorRatio needs as many test as floor chunks (>0): ${testMedians.length}/${n}`,
    );
  }
  const ratios = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const floor = floorMedians[k] as number;
    if (!(floor > 0)) throw new RangeError(`floor chunk ${k} has median ${floor}`);
    ratios[k] = (testMedians[k] as number) / floor;
  }
  return quantileSorted(ratios.sort(), 0.5);
}

/**
 * A throughput row's rate ratio to the floor: the median over pairs of test rate ÷ floor rate, from the
 * runs' times per message (`floorNsPerMessage[k]` and `testNsPerMessage[k]` are pair k). A rate ratio is
 * the inverse time ratio, so this is {@link pairedFloorRatio} with the roles swapped (for an even count
 * its nearest-rank median is the lower middle rate ratio, the conservative one).
 */
export function pairedRateRatio(
  floorNsPerMessage: ArrayLike<number>,
  testNsPerMessage: ArrayLike<number>,
): number {
  if (testNsPerMessage.length !== floorNsPerMessage.length) {
    throw new RangeError(
      `pairedRateRatio needs as many test as floor runs: ${testNsPerMessage.length}/${floorNsPerMessage.length}`,
    );
  }
  return pairedFloorRatio(testNsPerMessage, floorNsPerMessage);
}
