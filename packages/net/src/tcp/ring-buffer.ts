const EMPTY = new Uint8Array(0);

/**
 * A byte ring buffer for a socket's send and receive queues.
 *
 * ```
 *   storage: [....ddddddddd.......]      read = index of the first byte, length = bytes held
 *                ^read      ^read+length (mod capacity): where the next enqueue writes
 * ```
 * Empty: `length === 0`. Full: `length === capacity`. Bytes beyond `length` are free space; the receive
 * side writes out-of-order data there (`writeAt`) before it becomes part of the queue (`commit`).
 * The storage is allocated on the first write and can be given back with `release` once a connection no
 * longer needs it (TIME-WAIT): a server with thousands of idle or closing connections holds no buffers.
 */
export class RingBuffer {
  private storage: Uint8Array = EMPTY;
  private read = 0;
  private len = 0;

  constructor(readonly capacity: number) {}

  /** Bytes held. */
  get length(): number {
    return this.len;
  }

  /** Free bytes. */
  get free(): number {
    return this.capacity - this.len;
  }

  /** Append as much of `src` as fits; returns the bytes taken. */
  enqueue(src: Uint8Array): number {
    const n = Math.min(src.length, this.free);
    this.writeAt(0, src.subarray(0, n));
    this.len += n;
    return n;
  }

  /**
   * Copy `src` into the free space starting `offset` bytes past the held data, without holding it yet.
   * Bytes that would not fit are ignored; returns how many were written.
   */
  writeAt(offset: number, src: Uint8Array): number {
    const room = this.free - offset;
    if (room <= 0) return 0;
    const n = Math.min(room, src.length);
    if (this.storage.length === 0 && n > 0) this.storage = new Uint8Array(this.capacity);
    let at = (this.read + this.len + offset) % this.capacity;
    let done = 0;
    while (done < n) {
      const k = Math.min(n - done, this.capacity - at);
      this.storage.set(src.subarray(done, done + k), at);
      done += k;
      at = 0;
    }
    return n;
  }

  /** Hold `n` more bytes that `writeAt(0, ...)` placed. */
  commit(n: number): void {
    this.len += Math.min(n, this.free);
  }

  /** Give the storage back; only when nothing is held (out-of-order bytes included: the caller knows). */
  release(): void {
    if (this.len === 0) {
      this.storage = EMPTY;
      this.read = 0;
    }
  }

  /** Drop `n` bytes from the front. */
  discard(n: number): void {
    const k = Math.min(n, this.len);
    this.read = (this.read + k) % this.capacity;
    // `read` is not reset to 0 when empty: the receive side may hold out-of-order bytes past `length`.
    this.len -= k;
  }

  /** Move up to `dst.length` bytes from the front into `dst`; returns the count. */
  dequeueInto(dst: Uint8Array): number {
    const n = Math.min(dst.length, this.len);
    let done = 0;
    while (done < n) {
      const v = this.contiguous(done, n - done);
      dst.set(v, done);
      done += v.length;
    }
    this.discard(n);
    return n;
  }

  /**
   * A view of up to `max` held bytes starting `offset` bytes from the front, cut at the wrap point (so it
   * may be shorter than asked; ask again from where it ended).
   */
  contiguous(offset: number, max: number): Uint8Array {
    if (offset >= this.len || max <= 0) return this.storage.subarray(0, 0);
    const at = (this.read + offset) % this.capacity;
    const n = Math.min(max, this.len - offset, this.capacity - at);
    return this.storage.subarray(at, at + n);
  }
}
