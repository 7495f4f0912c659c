/**
 * What a domain holds after mapping a frame: a DataView-like accessor whose every access goes through
 * the core's MMU. An access is translated once per page it touches through the core's software TLB
 * (a hit is a few typed-array loads; a miss walks the page tables), so `read`/`write` of a range costs
 * one translation per page, not per byte. A fault (outside the map, or after unmap) is a typed error.
 *
 * Atomic operations and futex waits (`load32`...`compareExchange32`, `wait32`, `waitAsync32`,
 * `notify32`) translate the word's address, then act on the *physical* memory's Int32Array at that
 * index, so dispatchers on different cores (and different mappings of one frame) meet on one word.
 * A misaligned word is an ALIGNMENT_FAULT, an unmapped one a PAGE_FAULT; both are delivered to the
 * dispatcher like any fault, never a crash of the core.
 */
import { ACCESS_USER, ACCESS_WRITE, decodeFault, type PhysicalMemory, type Tlb } from "@shoal/caps";
import { KernelError } from "../errors.js";
import { PAGE_BYTES } from "../ram/frame-allocator.js";
import {
  type FutexHooks,
  type FutexOutcome,
  NO_FUTEX_HOOKS,
  physicalWords,
  waitAsyncPhysical,
} from "./futex.js";

const READ = ACCESS_USER;
const WRITE = ACCESS_USER | ACCESS_WRITE;

/** A mapped frame, as its domain accesses it. */
export class MappedMemory {
  /** The virtual address the frame is mapped at. */
  readonly vaddr: number;
  /** Bytes mapped. */
  readonly byteLength: number;
  readonly #mem: PhysicalMemory;
  readonly #tlb: Tlb;
  readonly #pml4: number;
  readonly #onFault: (e: KernelError) => void;
  readonly #futex: FutexHooks;
  readonly #words: Int32Array;

  constructor(
    mem: PhysicalMemory,
    tlb: Tlb,
    pml4: number,
    vaddr: number,
    bytes: number,
    onFault: (e: KernelError) => void,
    futex: FutexHooks = NO_FUTEX_HOOKS,
  ) {
    this.#mem = mem;
    this.#tlb = tlb;
    this.#pml4 = pml4;
    this.vaddr = vaddr;
    this.byteLength = bytes;
    this.#onFault = onFault;
    this.#futex = futex;
    this.#words = physicalWords(mem.buffer);
  }

  /** The index in physical memory's Int32Array of the aligned word at `offset` (or a thrown fault). */
  #word(offset: number, access: number): number {
    if ((offset & 3) !== 0 && Number.isInteger(offset)) this.#misaligned(offset, "a 32-bit atomic", 4);
    return this.#phys(offset, 4, access) / 4;
  }

  #misaligned(offset: number, what: string, align: number): never {
    const e = new KernelError(
      "ALIGNMENT_FAULT",
      `alignment fault: ${what} at offset ${offset} (vaddr 0x${(this.vaddr + offset).toString(16)}) is not ${align}-byte aligned`,
    );
    this.#onFault(e);
    throw e;
  }

  /** Sequentially consistent load of the word at `offset`. */
  load32(offset: number): number {
    return Atomics.load(this.#words, this.#word(offset, READ));
  }

  /** Sequentially consistent store; returns `value`. */
  store32(offset: number, value: number): number {
    return Atomics.store(this.#words, this.#word(offset, WRITE), value);
  }

  /** Atomic add; returns the old value. */
  add32(offset: number, delta: number): number {
    return Atomics.add(this.#words, this.#word(offset, WRITE), delta);
  }

  /** Atomic subtract; returns the old value. */
  sub32(offset: number, delta: number): number {
    return Atomics.sub(this.#words, this.#word(offset, WRITE), delta);
  }

  /** Atomic and; returns the old value. */
  and32(offset: number, mask: number): number {
    return Atomics.and(this.#words, this.#word(offset, WRITE), mask);
  }

  /** Atomic or; returns the old value. */
  or32(offset: number, mask: number): number {
    return Atomics.or(this.#words, this.#word(offset, WRITE), mask);
  }

  /** Atomic exchange; returns the old value. */
  exchange32(offset: number, value: number): number {
    return Atomics.exchange(this.#words, this.#word(offset, WRITE), value);
  }

  /** Compare-and-swap; returns the value found (the swap happened iff it equals `expected`). */
  compareExchange32(offset: number, expected: number, replacement: number): number {
    return Atomics.compareExchange(this.#words, this.#word(offset, WRITE), expected, replacement);
  }

  /**
   * Blocks this core's thread while the physical word at `offset` holds `expected` (Atomics.wait):
   * "not-equal" at once if it does not, "ok" when notified, "timed-out". The CPU driver accounts the
   * sleep as blocked, not as CPU time or an overrun; nothing else runs on this core meanwhile, so
   * dispatchers that share a core with others should use {@link waitAsync32}.
   */
  wait32(offset: number, expected: number, timeoutMs = Number.POSITIVE_INFINITY): FutexOutcome {
    const i = this.#word(offset, READ);
    return this.#futex.block(() => Atomics.wait(this.#words, i, expected | 0, timeoutMs));
  }

  /** As {@link wait32} without blocking the core: the dispatcher is `blocked` until the promise settles. */
  waitAsync32(offset: number, expected: number, timeoutMs = Number.POSITIVE_INFINITY): Promise<FutexOutcome> {
    const i = this.#word(offset, READ);
    return this.#futex.blockAsync(waitAsyncPhysical(this.#words, i, expected | 0, timeoutMs));
  }

  /** Wakes up to `count` waiters (default: all) on the physical word; returns how many it woke. */
  notify32(offset: number, count = Number.POSITIVE_INFINITY): number {
    return Atomics.notify(this.#words, this.#word(offset, READ), count);
  }

  /**
   * A direct typed-array window on `bytes` bytes at `offset`, when they are one run of physically
   * contiguous, writable pages (a frame is). The translation is taken once, as a TLB entry caches it,
   * and the window does not see a later unmap: its holder must drop it before unmapping (as the URPC
   * ring's view, docs/design.md). Undefined when the pages are not contiguous; a fault when not mapped.
   */
  #window(offset: number, bytes: number, align: number): number | undefined {
    if (offset % align !== 0 && Number.isInteger(offset)) this.#misaligned(offset, "a window", align);
    if (bytes < 0 || !Number.isInteger(bytes))
      return this.#fault(offset, WRITE, `a window of ${bytes} bytes`);
    if (bytes === 0) return this.#phys(offset, 0, WRITE);
    const first = this.#phys(offset, Math.min(bytes, PAGE_BYTES - (offset % PAGE_BYTES)), WRITE);
    this.#phys(offset, bytes, WRITE);
    for (let done = PAGE_BYTES - (offset % PAGE_BYTES); done < bytes; done += PAGE_BYTES) {
      const p = this.#phys(offset + done, Math.min(PAGE_BYTES, bytes - done), WRITE);
      if (p !== first + done) return undefined;
    }
    return first;
  }

  /** A Float64Array window on `length` doubles at `offset` (see {@link #window}). */
  float64Window(offset: number, length: number): Float64Array | undefined {
    const p = this.#window(offset, length * 8, 8);
    return p === undefined ? undefined : new Float64Array(this.#mem.buffer, p, length);
  }

  /** An Int32Array window on `length` words at `offset` (see {@link #window}). */
  int32Window(offset: number, length: number): Int32Array | undefined {
    const p = this.#window(offset, length * 4, 4);
    return p === undefined ? undefined : new Int32Array(this.#mem.buffer, p, length);
  }

  /** The physical address of `offset` for an access of `len` bytes within one page, or a thrown fault. */
  #phys(offset: number, len: number, access: number): number {
    if (!(offset >= 0 && offset + len <= this.byteLength) || !Number.isInteger(offset))
      return this.#fault(offset, access, "outside the mapping");
    const p = this.#tlb.translate(this.#pml4, this.vaddr + offset, access);
    if (p < 0) {
      const f = decodeFault(p);
      return this.#fault(offset, access, `${f.reason} at level ${f.level}`);
    }
    return p;
  }

  #fault(offset: number, access: number, why: string): never {
    const va = this.vaddr + offset;
    const e = new KernelError(
      "PAGE_FAULT",
      `page fault: ${access & ACCESS_WRITE ? "write" : "read"} at offset ${offset} (vaddr 0x${va.toString(16)}): ${why}`,
    );
    this.#onFault(e);
    throw e;
  }

  /** True when [offset, offset + len) stays in one page (the fast path of the word accessors). */
  static #onePage(offset: number, len: number): boolean {
    return (offset % PAGE_BYTES) + len <= PAGE_BYTES;
  }

  getUint8(offset: number): number {
    return this.#mem.u8[this.#phys(offset, 1, READ)] as number;
  }

  setUint8(offset: number, value: number): void {
    this.#mem.u8[this.#phys(offset, 1, WRITE)] = value;
  }

  getUint32(offset: number, littleEndian = true): number {
    if (MappedMemory.#onePage(offset, 4))
      return this.#mem.view.getUint32(this.#phys(offset, 4, READ), littleEndian);
    return new DataView(this.read(offset, 4).buffer).getUint32(0, littleEndian);
  }

  setUint32(offset: number, value: number, littleEndian = true): void {
    if (MappedMemory.#onePage(offset, 4)) {
      this.#mem.view.setUint32(this.#phys(offset, 4, WRITE), value, littleEndian);
      return;
    }
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value, littleEndian);
    this.write(offset, b);
  }

  getBigUint64(offset: number, littleEndian = true): bigint {
    if (MappedMemory.#onePage(offset, 8))
      return this.#mem.view.getBigUint64(this.#phys(offset, 8, READ), littleEndian);
    return new DataView(this.read(offset, 8).buffer).getBigUint64(0, littleEndian);
  }

  setBigUint64(offset: number, value: bigint, littleEndian = true): void {
    if (MappedMemory.#onePage(offset, 8)) {
      this.#mem.view.setBigUint64(this.#phys(offset, 8, WRITE), value, littleEndian);
      return;
    }
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, value, littleEndian);
    this.write(offset, b);
  }

  /** A copy of `length` bytes from `offset`: one translation per page. */
  read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    if (length === 0) return out;
    this.#phys(offset, length, READ);
    for (let done = 0; done < length; ) {
      const off = offset + done;
      const n = Math.min(length - done, PAGE_BYTES - (off % PAGE_BYTES));
      const p = this.#phys(off, n, READ);
      out.set(this.#mem.u8.subarray(p, p + n), done);
      done += n;
    }
    return out;
  }

  /** Writes `bytes` at `offset`: one translation per page. */
  write(offset: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#phys(offset, bytes.length, WRITE);
    for (let done = 0; done < bytes.length; ) {
      const off = offset + done;
      const n = Math.min(bytes.length - done, PAGE_BYTES - (off % PAGE_BYTES));
      const p = this.#phys(off, n, WRITE);
      this.#mem.u8.set(bytes.subarray(done, done + n), p);
      done += n;
    }
  }
}
