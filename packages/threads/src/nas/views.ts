import { ThreadsError } from "../errors.js";
import type { AtomicMemory } from "../memory/atomic-memory.js";

/**
 * A direct Float64 window on shared memory. The kernels compute on typed arrays, as compiled NPB code
 * computes on mapped memory; a memory that cannot give a window (a vspace mapping split over frames)
 * is refused here rather than silently copied, until the kernels grow a bulk-copy path.
 */
export function viewF64(mem: AtomicMemory, offset: number, length: number): Float64Array {
  const v = mem.float64View(offset, length);
  if (v === undefined) throw new ThreadsError("BAD_ARGUMENT", "this memory gives no direct Float64 view");
  return v;
}

/** {@link viewF64} for Int32 elements. */
export function viewI32(mem: AtomicMemory, offset: number, length: number): Int32Array {
  const v = mem.int32View(offset, length);
  if (v === undefined) throw new ThreadsError("BAD_ARGUMENT", "this memory gives no direct Int32 view");
  return v;
}
