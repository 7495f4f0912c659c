/**
 * The memory seam: everything in @shoal/threads touches shared memory only through this interface,
 * so the same primitives and runtimes run over a plain SharedArrayBuffer ({@link SabMemory}) and over
 * a domain's vspace (frames mapped through the MMU: {@link FrameMemory}).
 *
 * Contract for an implementation (the vspace accessor must keep all of it):
 * - Offsets are byte offsets into the memory. 32-bit operations need 4-byte alignment, 64-bit and
 *   Float64 ones 8-byte alignment; a misaligned or out-of-range offset throws BAD_OFFSET and touches
 *   nothing. (A vspace implementation translates the virtual address and faults on an unmapped page.)
 * - `load32/store32/add32/sub32/exchange32/compareExchange32` and the 64-bit ones are sequentially
 *   consistent atomic operations (Atomics.*) on the physical word the offset maps to: two memories that
 *   map the same frame see each other's operations as one coherent word. Read-modify-write operations
 *   return the old value; `compareExchange` returns the value found (the exchange happened iff it
 *   equals `expected`).
 * - `wait32(off, expected, ms)` blocks the calling thread while the word holds `expected`, as
 *   Atomics.wait: "not-equal" without blocking if it does not, "ok" when notified, "timed-out".
 *   It must be called on a thread that may block (a worker); event-loop threads use `waitAsync32`,
 *   which resolves with the same outcomes without blocking. `notify32(off, count)` wakes up to `count`
 *   waiters on that physical word (Infinity: all) and returns how many it woke. Waiting and notifying
 *   through two different mappings of one frame must meet: implementations wait on the physical
 *   memory's Int32Array at the translated index, never on a copy.
 * - `getFloat64/setFloat64/getInt32/setInt32` are plain (non-atomic) element accesses, in the
 *   platform's byte order (little-endian); `readFloat64/writeFloat64/readInt32/writeInt32` bulk-copy
 *   a run of elements out of / into the memory (the way a real port moves a working set).
 * - `float64View/int32View` may return a direct typed-array window on the bytes when the memory is
 *   contiguous and stays mapped (a plain SharedArrayBuffer, a frame mapped once); implementations that
 *   cannot promise that return undefined and callers fall back to bulk copies.
 *
 * FrameMemory maps this onto the OS's mapped frame: the 32-bit atomics and waits onto the frame's own
 * (Atomics.* on the physical Int32Array at the translated address), the plain and bulk accesses and
 * the views onto one window on the (physically contiguous) frame.
 */
export interface AtomicMemory {
  readonly byteLength: number;

  load32(offset: number): number;
  store32(offset: number, value: number): number;
  add32(offset: number, delta: number): number;
  sub32(offset: number, delta: number): number;
  exchange32(offset: number, value: number): number;
  compareExchange32(offset: number, expected: number, replacement: number): number;
  wait32(offset: number, expected: number, timeoutMs?: number): WaitOutcome;
  waitAsync32(offset: number, expected: number, timeoutMs?: number): Promise<WaitOutcome>;
  notify32(offset: number, count?: number): number;

  load64(offset: number): bigint;
  store64(offset: number, value: bigint): bigint;
  add64(offset: number, delta: bigint): bigint;
  compareExchange64(offset: number, expected: bigint, replacement: bigint): bigint;

  getInt32(offset: number): number;
  setInt32(offset: number, value: number): void;
  getFloat64(offset: number): number;
  setFloat64(offset: number, value: number): void;
  readFloat64(offset: number, into: Float64Array): void;
  writeFloat64(offset: number, from: Float64Array): void;
  readInt32(offset: number, into: Int32Array): void;
  writeInt32(offset: number, from: Int32Array): void;

  float64View(offset: number, length: number): Float64Array | undefined;
  int32View(offset: number, length: number): Int32Array | undefined;
}

/** What a wait returned, as Atomics.wait. */
export type WaitOutcome = "ok" | "not-equal" | "timed-out";
