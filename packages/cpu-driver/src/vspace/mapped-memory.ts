/**
 * What a domain holds after mapping a frame: a DataView-like accessor whose every access goes through
 * the core's MMU. An access is translated once per page it touches through the core's software TLB
 * (a hit is a few typed-array loads; a miss walks the page tables), so `read`/`write` of a range costs
 * one translation per page, not per byte. A fault (outside the map, or after unmap) is a typed error.
 */
import { ACCESS_USER, ACCESS_WRITE, decodeFault, type PhysicalMemory, type Tlb } from "@shoal/caps";
import { KernelError } from "../errors.js";
import { PAGE_BYTES } from "../ram/frame-allocator.js";

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

  constructor(
    mem: PhysicalMemory,
    tlb: Tlb,
    pml4: number,
    vaddr: number,
    bytes: number,
    onFault: (e: KernelError) => void,
  ) {
    this.#mem = mem;
    this.#tlb = tlb;
    this.#pml4 = pml4;
    this.vaddr = vaddr;
    this.byteLength = bytes;
    this.#onFault = onFault;
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
