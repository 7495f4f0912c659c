import type { AtomicMemory } from "./atomic-memory.js";
import { SabMemory, type SharedMemoryHandle } from "./sab-memory.js";

/**
 * A region's memory argument: a SharedArrayBuffer handle (posted to a worker, opened there) or an
 * already-open memory (a {@link FrameMemory} over a frame the member's domain mapped; a member of the
 * OS executor puts it into the argument before it runs the region).
 */
export type MemoryArg = SharedMemoryHandle | AtomicMemory;

/** Opens a region's memory argument. */
export function openMemory(m: MemoryArg): AtomicMemory {
  return typeof (m as AtomicMemory).load32 === "function"
    ? (m as AtomicMemory)
    : SabMemory.open(m as SharedMemoryHandle);
}
