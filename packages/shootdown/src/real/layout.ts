/**
 * The shared memory of a real-core run: per-core doorbells, one single-producer single-consumer
 * mailbox ring per ordered pair of cores, and one broadcast line per source core. All offsets are in
 * 32-bit words and every structure starts on its own 64-byte line.
 *
 * ```
 *  word 0            HALT (nonzero: every core leaves its loop); word 1 READY
 *  line 1..          DEAD[c]   (nonzero: core c died; its peers fail what waits on it)
 *  DOOR + 16c        doorbell of core c (bumped and notified on every message to c)
 *  BCAST + 16r       broadcast line of root r: [seq, readers done, target mask, msg words...]
 *  RING(from, to)    [head line][tail line][SLOTS x MSG_WORDS]
 * ```
 * A ring is empty when head == tail and full when head - tail == SLOTS; the producer owns head, the
 * consumer owns tail.
 */

/** Words per 64-byte line. */
export const LINE_WORDS = 16;
/** Words of one encoded message. */
export const MSG_WORDS = 8;
/** Messages a ring holds. */
export const SLOTS = 64;
/** Index of the halt word. */
export const W_HALT = 0;
/** Index of the count of cores that entered their loop. */
export const W_READY = 1;
/** Doorbell line: the counter, then the word a core sets while it sleeps. */
export const DOOR_COUNT = 0;
export const DOOR_SLEEPING = 1;
/** Broadcast line: sequence number, readers done, target mask (cores < 32), then the message. */
export const BC_SEQ = 0;
export const BC_READ = 1;
export const BC_MASK = 2;
export const BC_MSG = 3;
/** Real-core meshes are limited by the broadcast line's target mask. */
export const MAX_REAL_CORES = 32;

/** Word offsets of a real-core mesh of `cores` cores. */
export interface MeshLayout {
  readonly cores: number;
  readonly dead: number;
  readonly door: number;
  readonly bcast: number;
  readonly rings: number;
  readonly ringWords: number;
  readonly totalWords: number;
}

/** The layout for `cores` cores. */
export function meshLayout(cores: number): MeshLayout {
  const dead = LINE_WORDS;
  const deadLines = Math.ceil(cores / LINE_WORDS);
  const door = dead + deadLines * LINE_WORDS;
  const bcast = door + cores * LINE_WORDS;
  const rings = bcast + cores * LINE_WORDS;
  const ringWords = 2 * LINE_WORDS + SLOTS * MSG_WORDS;
  return { cores, dead, door, bcast, rings, ringWords, totalWords: rings + cores * cores * ringWords };
}

/** The first word of the ring from `from` to `to`. */
export function ringAt(l: MeshLayout, from: number, to: number): number {
  return l.rings + (from * l.cores + to) * l.ringWords;
}
