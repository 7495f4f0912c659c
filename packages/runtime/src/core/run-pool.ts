/**
 * Backing memory for received overflow runs (strings and arrays). A fresh ArrayBuffer per run cost
 * 220-575 ns here (256 B-2 KiB, measured), more than the rest of receiving the message; a view into a
 * shared slab costs ~22 ns. So runs are carved out of 32 KiB slabs, as Node's Buffer pool does: the
 * price is that a run kept alive keeps its slab alive. Runs larger than {@link OWN_BUFFER_BYTES} get
 * their own buffer. Every run is a distinct, non-overlapping region the receiver may keep.
 */

/** Size of one slab. */
const SLAB_BYTES = 32 * 1024;
/** Runs at least this long get a buffer of their own (a slab would hold too few of them). */
export const OWN_BUFFER_BYTES = 4 * 1024;

/** Where a run's bytes go: a byte view for the receiver and the word index of its start for copying. */
export interface RunSpace {
  /** The run as the receiver gets it (`length` = the run's length). */
  readonly bytes: Uint8Array;
  /** A word view of the backing memory; the run starts at word {@link RunSpace.word}. */
  readonly words: Uint32Array;
  readonly word: number;
}

/** A pool of slabs for one thread's receivers. */
export class RunPool {
  private slab = new ArrayBuffer(SLAB_BYTES);
  private slabWords = new Uint32Array(this.slab);
  /** Next free byte of the current slab (a multiple of 8). */
  private next = 0;

  /** Space for a run of `len` bytes, rounded up to whole words (the tail bytes are not the run's). */
  take(len: number): RunSpace {
    // Math, not `(len + 7) & ~7`: that overflows int32 for lengths near 2^31 and went negative.
    const padded = Math.ceil(len / 8) * 8;
    if (padded >= OWN_BUFFER_BYTES) {
      const buffer = new ArrayBuffer(padded);
      return { bytes: new Uint8Array(buffer, 0, len), words: new Uint32Array(buffer), word: 0 };
    }
    if (this.next + padded > SLAB_BYTES) {
      this.slab = new ArrayBuffer(SLAB_BYTES);
      this.slabWords = new Uint32Array(this.slab);
      this.next = 0;
    }
    const at = this.next;
    this.next += padded;
    return { bytes: new Uint8Array(this.slab, at, len), words: this.slabWords, word: at >> 2 };
  }
}

/** This thread's pool (receivers of all channels share it: runs never overlap). */
export const runPool = new RunPool();

/**
 * A copy of a byte array in pooled memory (lrpc copies every array it hands over, so that neither side
 * can alter the other's data): a view into a slab instead of a fresh ArrayBuffer.
 */
export function copyBytes<T extends Uint8Array | Int8Array>(src: T): T {
  const space = runPool.take(src.length);
  if (src instanceof Int8Array) {
    space.bytes.set(new Uint8Array(src.buffer, src.byteOffset, src.length));
    return new Int8Array(space.bytes.buffer, space.bytes.byteOffset, src.length) as T;
  }
  space.bytes.set(src);
  return space.bytes as T;
}
