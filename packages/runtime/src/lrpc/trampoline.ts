/**
 * The lrpc delivery queue of this thread. A send appends a delivery; the outermost send drains the
 * queue, so a handler that sends from inside a delivery only appends and returns. A ping-pong of any
 * length therefore runs in constant stack depth, in FIFO order, without allocating per message (the
 * queue is a circular buffer of parallel arrays, grown by doubling and reused forever).
 */

/** Something a delivery is made to. */
export interface LrpcTarget {
  deliver(num: number, token: number, payload: unknown): void;
}

/** One delivery parked before its target opened. */
export interface Parked {
  readonly num: number;
  readonly token: number;
  readonly payload: unknown;
}

class Trampoline {
  private targets: (LrpcTarget | null)[] = new Array<LrpcTarget | null>(64).fill(null);
  private nums: number[] = new Array<number>(64).fill(0);
  private tokens: number[] = new Array<number>(64).fill(0);
  private payloads: unknown[] = new Array<unknown>(64).fill(null);
  private mask = 63;
  private head = 0;
  private count = 0;
  private draining = false;

  push(target: LrpcTarget, num: number, token: number, payload: unknown): void {
    if (this.count > this.mask) this.grow();
    const i = (this.head + this.count) & this.mask;
    this.targets[i] = target;
    this.nums[i] = num;
    this.tokens[i] = token;
    this.payloads[i] = payload;
    this.count++;
  }

  /** Delivers now if no drain is running further up the stack (then drains what that queued), else queues. */
  send(target: LrpcTarget, num: number, token: number, payload: unknown): void {
    if (this.draining) {
      this.push(target, num, token, payload);
      return;
    }
    this.draining = true;
    try {
      // The queue is empty here (every drain empties it), so this is FIFO without touching the arrays.
      target.deliver(num, token, payload);
      this.drainQueued();
    } finally {
      this.draining = false;
    }
  }

  /** Claims the right to deliver by a direct call: false when a delivery runs further up the stack. */
  enter(): boolean {
    if (this.draining) return false;
    this.draining = true;
    return true;
  }

  /** Ends a direct call: delivers what it queued, then gives the right back. */
  leave(): void {
    try {
      this.drainQueued();
    } finally {
      this.draining = false;
    }
  }

  drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      this.drainQueued();
    } finally {
      this.draining = false;
    }
  }

  private drainQueued(): void {
    while (this.count > 0) {
      const i = this.head;
      const t = this.targets[i] as LrpcTarget;
      const payload = this.payloads[i];
      this.targets[i] = null;
      this.payloads[i] = null;
      this.head = (i + 1) & this.mask;
      this.count--;
      t.deliver(this.nums[i] as number, this.tokens[i] as number, payload);
    }
  }

  private grow(): void {
    const n = (this.mask + 1) * 2;
    const targets = new Array<LrpcTarget | null>(n).fill(null);
    const nums = new Array<number>(n).fill(0);
    const tokens = new Array<number>(n).fill(0);
    const payloads = new Array<unknown>(n).fill(null);
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) & this.mask;
      targets[k] = this.targets[i] ?? null;
      nums[k] = this.nums[i] as number;
      tokens[k] = this.tokens[i] as number;
      payloads[k] = this.payloads[i];
    }
    this.targets = targets;
    this.nums = nums;
    this.tokens = tokens;
    this.payloads = payloads;
    this.mask = n - 1;
    this.head = 0;
  }
}

const trampoline = new Trampoline();

/** Appends a delivery and, unless a drain is already running further up the stack, drains the queue. */
export function enqueue(target: LrpcTarget, num: number, token: number, payload: unknown): void {
  trampoline.send(target, num, token, payload);
}

/**
 * Starts a direct delivery (a generated stub calling the peer binding itself): true when no delivery is
 * running further up the stack, so the call keeps FIFO order (the queue is empty then); the caller must
 * call {@link leaveDirect} afterwards. False: the caller queues with {@link enqueue} instead.
 */
export function enterDirect(): boolean {
  return trampoline.enter();
}

/** Ends a direct delivery: drains what its handler sent meanwhile. */
export function leaveDirect(): void {
  trampoline.leave();
}

/** Appends several deliveries to one target before draining (so none of them is overtaken). */
export function enqueueAll(target: LrpcTarget, items: readonly Parked[]): void {
  for (const it of items) trampoline.push(target, it.num, it.token, it.payload);
  trampoline.drain();
}
