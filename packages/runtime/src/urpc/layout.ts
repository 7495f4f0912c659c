/**
 * The shared memory of one urpc connection: a page-aligned buffer (from a shared WebAssembly.Memory,
 * since a plain SharedArrayBuffer is only 16-byte aligned and a 64-byte line could straddle two cache
 * lines). Every region that one side writes and the other reads sits on its own cache line.
 *
 *   line 0          shared state: magic, lines N, claimed[2], closed[2], txWaiting[2], bell[2]
 *   line 1          consumer index of side 0 (lines it has consumed from side 1's ring)
 *   line 2          consumer index of side 1
 *   line 3          unused (keeps the rings off the consumer lines' neighbour for adjacent-line prefetch)
 *   lines 4..4+N    ring written by side 0, read by side 1
 *   lines 4+N..4+2N ring written by side 1, read by side 0
 *
 * A ring slot is FULL when its control word's epoch bit equals the reader's current lap parity, EMPTY
 * otherwise. The writer may use slot i only when (sent - consumedByPeer) < N, so it never overwrites a
 * line the reader has not consumed. The reader writes one thing into the ring it reads: the sleep mark
 * (CTRL_SLEEPING, by compare-and-swap on the empty slot it waits at, taken back on waking); it never
 * writes a line to mark it consumed.
 */
import { alignedSharedBuffer } from "../core/platform.js";
import { LINE_BYTES, LINE_WORDS } from "../protocol.js";

/** "shoa" */
export const MAGIC = 0x73686f61;
/** Word indices in line 0. */
export const W_MAGIC = 0;
export const W_LINES = 1;
/** claimed[side]: set with compareExchange when an endpoint is opened (binding twice is BAD_ENDPOINT). */
export const W_CLAIMED = 2;
/** closed[side]: why that side finished (a CLOSE_* value); read by the peer when its port closes. */
export const W_CLOSED = 4;
/** txWaiting[side]: that side has messages queued on a full ring; the reader rings it after consuming. */
export const W_TX_WAITING = 6;
/**
 * bell[side]: 1 + the byte offset of that side's doorbell in the same SharedArrayBuffer, written when it
 * opens (0: not in this memory; its doorbell then comes over the endpoint's MessagePort).
 */
export const W_BELL = 8;

/** closed[side] values. */
export const CLOSE_NONE = 0;
export const CLOSE_CLOSED = 1;
export const CLOSE_MISMATCH = 2;
/** The end was garbage-collected without ever being bound (see abandon.ts). */
export const CLOSE_ABANDONED = 3;
/** That side's thread (core) died; written by whoever noticed (a monitor), see failConnection. */
export const CLOSE_DIED = 4;

/** First line of the rings. */
const RING_LINE0 = 4;

/** Word index of side `side`'s consumer index. */
export function consumerWord(side: number): number {
  return (1 + side) * LINE_WORDS;
}

/** Word index of the first line of the ring written by `side`. */
export function ringBase(side: number, lines: number): number {
  return (RING_LINE0 + side * lines) * LINE_WORDS;
}

/** Bytes of the shared memory for rings of `lines` lines. */
export function memoryBytes(lines: number): number {
  return (RING_LINE0 + 2 * lines) * LINE_BYTES;
}

/** Allocates zeroed, page-aligned shared memory for a connection and writes its header. */
export function createMemory(lines: number): SharedArrayBuffer {
  const pages = Math.ceil(memoryBytes(lines) / 65536);
  const buffer = alignedSharedBuffer(pages);
  formatRegion(buffer, 0, lines);
  return buffer;
}

/**
 * Lays out a connection of `lines` lines in `memoryBytes(lines)` bytes of `memory` at `byteOffset` (a
 * Frame of physical memory): zeroes the region and writes its header. The caller owns the region.
 */
export function formatRegion(memory: SharedArrayBuffer, byteOffset: number, lines: number): void {
  const w = new Uint32Array(memory, byteOffset, memoryBytes(lines) / 4);
  w.fill(0);
  w[W_MAGIC] = MAGIC;
  w[W_LINES] = lines;
}
