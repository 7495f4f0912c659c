/**
 * The lrpc delivery queue of this thread. A send appends a delivery; the outermost send drains the
 * queue, so a handler that sends from inside a delivery only appends and returns. A ping-pong of any
 * length therefore runs in constant stack depth, in FIFO order, without allocating per message (the
 * queue is four parallel arrays reused forever).
 */

/** Something a delivery is made to. */
export interface LrpcTarget {
  deliver(num: number, token: number, payload: unknown): void;
}

let targets: (LrpcTarget | undefined)[] = [];
let nums: number[] = [];
let tokens: number[] = [];
let payloads: unknown[] = [];
let head = 0;
let tail = 0;
let draining = false;

/** Appends a delivery and, unless a drain is already running further up the stack, drains the queue. */
export function enqueue(target: LrpcTarget, num: number, token: number, payload: unknown): void {
  targets[tail] = target;
  nums[tail] = num;
  tokens[tail] = token;
  payloads[tail] = payload;
  tail++;
  if (!draining) drain();
}

function drain(): void {
  draining = true;
  try {
    while (head < tail) {
      const i = head++;
      const t = targets[i] as LrpcTarget;
      const payload = payloads[i];
      targets[i] = undefined;
      payloads[i] = undefined;
      t.deliver(nums[i] as number, tokens[i] as number, payload);
    }
  } finally {
    head = 0;
    tail = 0;
    // Keep the arrays from growing without bound after one burst.
    if (targets.length > 65536) {
      targets = [];
      nums = [];
      tokens = [];
      payloads = [];
    }
    draining = false;
  }
}
