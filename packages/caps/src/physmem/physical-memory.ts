/**
 * The machine's physical memory: one SharedArrayBuffer shared by every core, with typed views over
 * it. Only kernel code (the CPU drivers and this package) holds a PhysicalMemory; user code reaches
 * memory through page tables.
 */
import { CapError } from "../errors.js";

/** 4 KiB: the base page size, the unit of every memory region in the capability system. */
export const BASE_PAGE_SIZE = 4096;
/** 2 MiB: a large page (a leaf in a page directory). */
export const LARGE_PAGE_SIZE = 2 * 1024 * 1024;
/** The default size of a machine's memory. */
export const DEFAULT_MEMORY_SIZE = 256 * 1024 * 1024;
/**
 * The largest memory accepted: 8 GiB. V8 (Node 20) limits a typed array to 2^32 - 1 elements, so a
 * Uint32Array spans at most 16 GiB and a Uint8Array 4 GiB (bytes beyond 4 GiB are reached through
 * {@link PhysicalMemory.bytes}); 8 GiB keeps every word index of the hot-path views below 2^31.
 */
export const MAX_MEMORY_SIZE = 8 * 1024 * 1024 * 1024;
/** The longest Uint8Array V8 creates. */
const MAX_U8_VIEW = 2 ** 32 - 1;

/** Options of a new physical memory. */
export interface PhysicalMemoryOptions {
  /** Size in bytes, a multiple of 4 KiB; default 256 MiB. */
  readonly size?: number;
  /** An existing buffer to wrap (another thread's view of the same machine). */
  readonly buffer?: SharedArrayBuffer;
}

/**
 * Physical memory of the simulated machine. The buffer is zero-filled lazily by the operating system
 * (a fresh SharedArrayBuffer is mapped, not written), so several GiB cost only what is touched.
 */
export class PhysicalMemory {
  /** The shared buffer; hand it to other cores' kernels, never to user code. */
  readonly buffer: SharedArrayBuffer;
  /** Size in bytes. */
  readonly size: number;
  /** Byte view of the first 4 GiB (all of memory when smaller); use {@link bytes} beyond. */
  readonly u8: Uint8Array;
  /** 32-bit word view: index = physical address / 4. Page-table entries are read as word pairs. */
  readonly u32: Uint32Array;
  /** 64-bit float view: index = physical address / 8. CTE addresses and sizes are stored as exact doubles. */
  readonly f64: Float64Array;
  /** For unaligned or byte-order-explicit access. */
  readonly view: DataView;

  constructor(options: PhysicalMemoryOptions = {}) {
    if (options.buffer !== undefined) {
      const size = options.buffer.byteLength;
      checkSize(size);
      this.buffer = options.buffer;
      this.size = size;
    } else {
      const size = options.size ?? DEFAULT_MEMORY_SIZE;
      checkSize(size);
      try {
        this.buffer = new SharedArrayBuffer(size);
      } catch (cause) {
        throw new CapError("NO_MEMORY", `cannot allocate ${size} bytes of physical memory`, { cause });
      }
      this.size = size;
    }
    this.u8 = new Uint8Array(this.buffer, 0, Math.min(this.size, MAX_U8_VIEW));
    this.u32 = new Uint32Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
    this.view = new DataView(this.buffer);
  }

  /** True if [base, base + size) lies inside memory. */
  contains(base: number, size: number): boolean {
    return (
      Number.isSafeInteger(base) &&
      Number.isSafeInteger(size) &&
      base >= 0 &&
      size >= 0 &&
      base + size <= this.size
    );
  }

  /** A byte view of [base, base + size) (size below 4 GiB), valid anywhere in memory. */
  bytes(base: number, size: number): Uint8Array {
    return new Uint8Array(this.buffer, base, size);
  }

  /** Zero-fills [base, base + size) (new kernel objects and frames retyped from RAM start zeroed). */
  zero(base: number, size: number): void {
    if (base + size <= MAX_U8_VIEW) {
      this.u8.fill(0, base, base + size);
      return;
    }
    // Beyond the first 4 GiB, in chunks a Uint8Array can span.
    const chunk = 1 << 30;
    for (let at = base; at < base + size; at += chunk) {
      this.bytes(at, Math.min(chunk, base + size - at)).fill(0);
    }
  }
}

function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size <= 0 || size % BASE_PAGE_SIZE !== 0) {
    throw new CapError(
      "INVALID_ARGUMENT",
      `memory size must be a positive multiple of 4096 bytes, got ${size}`,
    );
  }
  if (size > MAX_MEMORY_SIZE) {
    throw new CapError("NO_MEMORY", `memory size ${size} exceeds the maximum of ${MAX_MEMORY_SIZE} bytes`);
  }
}
