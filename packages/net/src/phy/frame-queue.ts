/**
 * A bounded FIFO of frames. An array with a moving head instead of `shift()` (which is O(n) once V8 leaves
 * the fast path), compacted when the dead prefix outgrows the live part.
 */
export class FrameQueue {
  private items: Uint8Array[] = [];
  private head = 0;

  constructor(readonly limit: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** Append; false (and nothing stored) when full. */
  push(frame: Uint8Array): boolean {
    if (this.length >= this.limit) return false;
    this.items.push(frame);
    return true;
  }

  /** Remove and return the oldest frame. */
  shift(): Uint8Array | undefined {
    if (this.head >= this.items.length) return undefined;
    const f = this.items[this.head];
    this.items[this.head] = EMPTY;
    this.head++;
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return f;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

const EMPTY = new Uint8Array(0);
