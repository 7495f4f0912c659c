import { ThreadsError } from "../errors.js";
import type { AtomicMemory, WaitOutcome } from "./atomic-memory.js";

/**
 * What {@link FrameMemory} needs of a frame mapped through a shoal vspace: the atomic and futex
 * operations of libshoal's `MappedFrame` (each translates the address through the core's TLB, then
 * acts on the physical word) and its direct windows. Structural, so that this package does not link
 * the OS to run on plain workers.
 */
export interface FrameWords {
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
  float64Window(offset: number, length: number): Float64Array | undefined;
  int32Window(offset: number, length: number): Int32Array | undefined;
}

/**
 * {@link AtomicMemory} over one frame mapped into a domain's vspace: what the team and the workloads
 * use when they run as shoal dispatchers.
 *
 * Two paths, chosen per kind of access:
 * - **synchronisation** (`load32`...`compareExchange32`, `wait32/waitAsync32/notify32`) goes through
 *   the MMU on every call: translate through the core's TLB, then Atomics on the physical word, so a
 *   waiter on one core and a notifier on another meet on the same word, and an unmap really stops it;
 * - **data** (the plain element accesses, bulk copies and `float64View/int32View`) goes through one
 *   window on the whole frame taken when the memory is opened: the frame is physically contiguous, so
 *   one translation covers it (a TLB entry that lasts as long as the mapping is used), and the
 *   kernels compute on typed arrays at the speed of the SharedArrayBuffer baseline. The windows do
 *   not see an unmap: a region keeps its frames mapped for its whole life (docs/threads.md), as the
 *   URPC rings do.
 *
 * The 64-bit atomics, which no primitive uses, go through the window as well (MappedFrame has none).
 */
export class FrameMemory implements AtomicMemory {
  readonly byteLength: number;
  readonly #f: FrameWords;
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  readonly #i64: BigInt64Array;

  /** The frame's bytes (its whole mapping unless `byteLength` is given); BAD_ARGUMENT unless contiguous. */
  constructor(frame: FrameWords, byteLength = frame.byteLength) {
    const words = Math.floor(Math.min(byteLength, frame.byteLength) / 8);
    const f64 = frame.float64Window(0, words);
    if (f64 === undefined)
      throw new ThreadsError("BAD_ARGUMENT", "the frame's pages are not physically contiguous (no window)");
    this.#f = frame;
    this.byteLength = words * 8;
    this.#f64 = f64;
    this.#i32 = new Int32Array(f64.buffer, f64.byteOffset, words * 2);
    this.#i64 = new BigInt64Array(f64.buffer, f64.byteOffset, words);
  }

  private w(offset: number): number {
    if ((offset & 3) !== 0 || offset < 0 || offset + 4 > this.byteLength || !Number.isInteger(offset)) {
      throw new ThreadsError(
        "BAD_OFFSET",
        `offset ${offset} is not an aligned 32-bit word of ${this.byteLength} bytes`,
      );
    }
    return offset;
  }

  private d(offset: number, n = 1): number {
    if ((offset & 7) !== 0 || offset < 0 || offset + 8 * n > this.byteLength || !Number.isInteger(offset)) {
      throw new ThreadsError(
        "BAD_OFFSET",
        `offset ${offset} (+${n} × 8 bytes) is not an aligned range of ${this.byteLength} bytes`,
      );
    }
    return offset >> 3;
  }

  private wn(offset: number, n: number): number {
    const i = this.w(offset) >> 2;
    if (i + n > this.#i32.length)
      throw new ThreadsError(
        "BAD_OFFSET",
        `${n} words at ${offset} run past the end (${this.byteLength} bytes)`,
      );
    return i;
  }

  load32(offset: number): number {
    return this.#f.load32(this.w(offset));
  }
  store32(offset: number, value: number): number {
    return this.#f.store32(this.w(offset), value);
  }
  add32(offset: number, delta: number): number {
    return this.#f.add32(this.w(offset), delta);
  }
  sub32(offset: number, delta: number): number {
    return this.#f.sub32(this.w(offset), delta);
  }
  exchange32(offset: number, value: number): number {
    return this.#f.exchange32(this.w(offset), value);
  }
  compareExchange32(offset: number, expected: number, replacement: number): number {
    return this.#f.compareExchange32(this.w(offset), expected, replacement);
  }
  wait32(offset: number, expected: number, timeoutMs = Number.POSITIVE_INFINITY): WaitOutcome {
    return this.#f.wait32(this.w(offset), expected, timeoutMs);
  }
  waitAsync32(offset: number, expected: number, timeoutMs = Number.POSITIVE_INFINITY): Promise<WaitOutcome> {
    return this.#f.waitAsync32(this.w(offset), expected, timeoutMs);
  }
  notify32(offset: number, count = Number.POSITIVE_INFINITY): number {
    return this.#f.notify32(this.w(offset), count);
  }

  load64(offset: number): bigint {
    return Atomics.load(this.#i64, this.d(offset));
  }
  store64(offset: number, value: bigint): bigint {
    return Atomics.store(this.#i64, this.d(offset), value);
  }
  add64(offset: number, delta: bigint): bigint {
    return Atomics.add(this.#i64, this.d(offset), delta);
  }
  compareExchange64(offset: number, expected: bigint, replacement: bigint): bigint {
    return Atomics.compareExchange(this.#i64, this.d(offset), expected, replacement);
  }

  getInt32(offset: number): number {
    return this.#i32[this.w(offset) >> 2] as number;
  }
  setInt32(offset: number, value: number): void {
    this.#i32[this.w(offset) >> 2] = value;
  }
  getFloat64(offset: number): number {
    return this.#f64[this.d(offset)] as number;
  }
  setFloat64(offset: number, value: number): void {
    this.#f64[this.d(offset)] = value;
  }
  readFloat64(offset: number, into: Float64Array): void {
    const i = this.d(offset, into.length);
    into.set(this.#f64.subarray(i, i + into.length));
  }
  writeFloat64(offset: number, from: Float64Array): void {
    this.#f64.set(from, this.d(offset, from.length));
  }
  readInt32(offset: number, into: Int32Array): void {
    const i = this.wn(offset, into.length);
    into.set(this.#i32.subarray(i, i + into.length));
  }
  writeInt32(offset: number, from: Int32Array): void {
    this.#i32.set(from, this.wn(offset, from.length));
  }
  float64View(offset: number, length: number): Float64Array {
    const i = this.d(offset, length);
    return this.#f64.subarray(i, i + length);
  }
  int32View(offset: number, length: number): Int32Array {
    const i = this.wn(offset, length);
    return this.#i32.subarray(i, i + length);
  }
}
