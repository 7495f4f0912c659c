import { ThreadsError } from "../errors.js";
import type { AtomicMemory, WaitOutcome } from "./atomic-memory.js";

/** Atomics.waitAsync (in Node 20's V8, not in the ES2022 lib typings). */
type WaitAsync = (
  a: Int32Array,
  index: number,
  value: number,
  timeout: number,
) => { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
const atomicsWaitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/**
 * {@link AtomicMemory} over a plain SharedArrayBuffer (or a byte range of one). Posting `buffer`,
 * `base` and `byteLength` to another thread and constructing a SabMemory there gives a second view of
 * the same words.
 */
export class SabMemory implements AtomicMemory {
  readonly buffer: SharedArrayBuffer;
  readonly base: number;
  readonly byteLength: number;
  private readonly i32: Int32Array;
  private readonly i64: BigInt64Array;
  private readonly f64: Float64Array;

  constructor(buffer: SharedArrayBuffer, base = 0, byteLength = buffer.byteLength - base) {
    if (base % 8 !== 0 || base < 0 || byteLength < 0 || base + byteLength > buffer.byteLength) {
      throw new ThreadsError(
        "BAD_OFFSET",
        `range [${base}, ${base + byteLength}) is not an 8-aligned range of the buffer`,
      );
    }
    this.buffer = buffer;
    this.base = base;
    this.byteLength = byteLength;
    const words = Math.floor(byteLength / 8);
    this.i32 = new Int32Array(buffer, base, words * 2);
    this.i64 = new BigInt64Array(buffer, base, words);
    this.f64 = new Float64Array(buffer, base, words);
  }

  /** A fresh zeroed memory of `byteLength` bytes (rounded up to 8). */
  static allocate(byteLength: number): SabMemory {
    return new SabMemory(new SharedArrayBuffer(Math.ceil(byteLength / 8) * 8));
  }

  private w(offset: number): number {
    if ((offset & 3) !== 0 || offset < 0 || offset + 4 > this.i32.length * 4) {
      throw new ThreadsError(
        "BAD_OFFSET",
        `offset ${offset} is not an aligned 32-bit word of ${this.byteLength} bytes`,
      );
    }
    return offset >> 2;
  }

  private d(offset: number, n = 1): number {
    if ((offset & 7) !== 0 || offset < 0 || offset + 8 * n > this.f64.length * 8) {
      throw new ThreadsError(
        "BAD_OFFSET",
        `offset ${offset} (+${n} × 8 bytes) is not an aligned range of ${this.byteLength} bytes`,
      );
    }
    return offset >> 3;
  }

  load32(offset: number): number {
    return Atomics.load(this.i32, this.w(offset));
  }
  store32(offset: number, value: number): number {
    return Atomics.store(this.i32, this.w(offset), value);
  }
  add32(offset: number, delta: number): number {
    return Atomics.add(this.i32, this.w(offset), delta);
  }
  sub32(offset: number, delta: number): number {
    return Atomics.sub(this.i32, this.w(offset), delta);
  }
  exchange32(offset: number, value: number): number {
    return Atomics.exchange(this.i32, this.w(offset), value);
  }
  compareExchange32(offset: number, expected: number, replacement: number): number {
    return Atomics.compareExchange(this.i32, this.w(offset), expected, replacement);
  }
  wait32(offset: number, expected: number, timeoutMs = Number.POSITIVE_INFINITY): WaitOutcome {
    return Atomics.wait(this.i32, this.w(offset), expected, timeoutMs);
  }
  async waitAsync32(
    offset: number,
    expected: number,
    timeoutMs = Number.POSITIVE_INFINITY,
  ): Promise<WaitOutcome> {
    const r = atomicsWaitAsync(this.i32, this.w(offset), expected, timeoutMs);
    if (!r.async) return r.value;
    // Atomics.waitAsync alone does not keep Node's event loop alive (PERF-NOTES): hold a timer.
    const keepAlive = setInterval(() => {}, 1 << 30);
    try {
      return await r.value;
    } finally {
      clearInterval(keepAlive);
    }
  }
  notify32(offset: number, count = Number.POSITIVE_INFINITY): number {
    return Atomics.notify(this.i32, this.w(offset), count);
  }

  load64(offset: number): bigint {
    return Atomics.load(this.i64, this.d(offset));
  }
  store64(offset: number, value: bigint): bigint {
    return Atomics.store(this.i64, this.d(offset), value);
  }
  add64(offset: number, delta: bigint): bigint {
    return Atomics.add(this.i64, this.d(offset), delta);
  }
  compareExchange64(offset: number, expected: bigint, replacement: bigint): bigint {
    return Atomics.compareExchange(this.i64, this.d(offset), expected, replacement);
  }

  getInt32(offset: number): number {
    return this.i32[this.w(offset)] as number;
  }
  setInt32(offset: number, value: number): void {
    this.i32[this.w(offset)] = value;
  }
  getFloat64(offset: number): number {
    return this.f64[this.d(offset)] as number;
  }
  setFloat64(offset: number, value: number): void {
    this.f64[this.d(offset)] = value;
  }
  readFloat64(offset: number, into: Float64Array): void {
    const i = this.d(offset, into.length);
    into.set(this.f64.subarray(i, i + into.length));
  }
  writeFloat64(offset: number, from: Float64Array): void {
    this.f64.set(from, this.d(offset, from.length));
  }
  readInt32(offset: number, into: Int32Array): void {
    const i = this.w(offset);
    if (i + into.length > this.i32.length)
      throw new ThreadsError("BAD_OFFSET", `read of ${into.length} words at ${offset} runs past the end`);
    into.set(this.i32.subarray(i, i + into.length));
  }
  writeInt32(offset: number, from: Int32Array): void {
    const i = this.w(offset);
    if (i + from.length > this.i32.length)
      throw new ThreadsError("BAD_OFFSET", `write of ${from.length} words at ${offset} runs past the end`);
    this.i32.set(from, i);
  }

  float64View(offset: number, length: number): Float64Array {
    const i = this.d(offset, length);
    return this.f64.subarray(i, i + length);
  }
  int32View(offset: number, length: number): Int32Array {
    const i = this.w(offset);
    if (i + length > this.i32.length)
      throw new ThreadsError("BAD_OFFSET", `view of ${length} words at ${offset} runs past the end`);
    return this.i32.subarray(i, i + length);
  }

  /** What another thread needs to open the same memory: post it, then {@link SabMemory.open}. */
  share(): SharedMemoryHandle {
    return { buffer: this.buffer, base: this.base, byteLength: this.byteLength };
  }

  /** Opens a memory shared with {@link SabMemory.share}. */
  static open(h: SharedMemoryHandle): SabMemory {
    return new SabMemory(h.buffer, h.base, h.byteLength);
  }
}

/** A SabMemory as plain structured-cloneable data. */
export interface SharedMemoryHandle {
  buffer: SharedArrayBuffer;
  base: number;
  byteLength: number;
}
