/**
 * The ARP neighbour cache: resolved entries with an expiry, resolutions in progress with their retry
 * schedule and the frames waiting for them, and recent failures (so senders learn "unreachable" at once
 * instead of queueing behind a host that does not answer). The cache does no I/O: the interface asks it
 * what is due and sends the requests itself.
 */

/** Cache limits and timers (ms). */
export interface NeighborOptions {
  /** How long a resolved entry is used before it must be re-resolved (default 60 s). */
  readonly entryTtlMs?: number;
  /** Time between ARP requests for one address (default 1 s). */
  readonly retryIntervalMs?: number;
  /** Requests sent before resolution fails (default 3). */
  readonly maxRequests?: number;
  /** How long a failure is remembered (default 3 s; senders get "unreachable" meanwhile). */
  readonly failureHoldMs?: number;
  /** Resolved entries kept (default 256; the least recently refreshed is evicted). */
  readonly maxEntries?: number;
  /** Frames queued per address while resolving (default 16). */
  readonly maxQueuedPerNeighbor?: number;
  /** Addresses resolving at once (default 64). */
  readonly maxResolving?: number;
}

interface Entry {
  mac: number;
  expiresAt: number;
}

interface Resolving {
  requestsSent: number;
  nextRequestAt: number;
  readonly queue: Uint8Array[];
}

/** What `enqueue` did. */
export type EnqueueResult = "queued" | "queued-new" | "no-buffer" | "failed";

/** The neighbour cache of one interface. */
export class NeighborCache {
  readonly options: Required<NeighborOptions>;
  private readonly entries = new Map<number, Entry>();
  private readonly resolving = new Map<number, Resolving>();
  private readonly failed = new Map<number, number>();

  constructor(options: NeighborOptions = {}) {
    this.options = {
      entryTtlMs: options.entryTtlMs ?? 60_000,
      retryIntervalMs: options.retryIntervalMs ?? 1_000,
      maxRequests: options.maxRequests ?? 3,
      failureHoldMs: options.failureHoldMs ?? 3_000,
      maxEntries: options.maxEntries ?? 256,
      maxQueuedPerNeighbor: options.maxQueuedPerNeighbor ?? 16,
      maxResolving: options.maxResolving ?? 64,
    };
  }

  /** The MAC of `ip` if a fresh entry exists. */
  lookup(ip: number, now: number): number | undefined {
    const e = this.entries.get(ip);
    if (e === undefined) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(ip);
      return undefined;
    }
    return e.mac;
  }

  /** True when `ip` has an entry (fresh or not); ARP's merge rule updates only such entries. */
  has(ip: number): boolean {
    return this.entries.has(ip);
  }

  /**
   * Record `ip` at `mac` (from a reply, a request addressed to us, or a gratuitous announcement) and
   * return the frames that were waiting for it.
   */
  fill(ip: number, mac: number, now: number): Uint8Array[] {
    // Re-inserting moves the key to the end of the Map's order, so the first key is the oldest.
    this.entries.delete(ip);
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(ip, { mac, expiresAt: now + this.options.entryTtlMs });
    this.failed.delete(ip);
    const r = this.resolving.get(ip);
    if (r === undefined) return [];
    this.resolving.delete(ip);
    return r.queue;
  }

  /** True while `ip` is being resolved. */
  isResolving(ip: number): boolean {
    return this.resolving.has(ip);
  }

  /** True when `enqueue` would take a frame for `ip` (checked before the frame is written). */
  canQueue(ip: number): boolean {
    const r = this.resolving.get(ip);
    return r === undefined
      ? this.resolving.size < this.options.maxResolving
      : r.queue.length < this.options.maxQueuedPerNeighbor;
  }

  /** True when resolution of `ip` failed within the hold time. */
  recentlyFailed(ip: number, now: number): boolean {
    const until = this.failed.get(ip);
    if (until === undefined) return false;
    if (until <= now) {
      this.failed.delete(ip);
      return false;
    }
    return true;
  }

  /**
   * Queue a frame for `ip` until it resolves. `queued-new` means resolution just started: the caller
   * sends the first request now (the cache counts it as sent).
   */
  enqueue(ip: number, frame: Uint8Array, now: number): EnqueueResult {
    if (this.recentlyFailed(ip, now)) return "failed";
    let r = this.resolving.get(ip);
    if (r === undefined) {
      if (this.resolving.size >= this.options.maxResolving) return "no-buffer";
      r = { requestsSent: 1, nextRequestAt: now + this.options.retryIntervalMs, queue: [frame] };
      this.resolving.set(ip, r);
      return "queued-new";
    }
    if (r.queue.length >= this.options.maxQueuedPerNeighbor) return "no-buffer";
    r.queue.push(frame);
    return "queued";
  }

  /**
   * Advance timers: returns the addresses to send a request for now, and counts of resolutions that
   * failed (their queued frames dropped).
   */
  tick(now: number): {
    readonly requests: number[];
    readonly failed: number;
    readonly droppedFrames: number;
  } {
    const requests: number[] = [];
    let failed = 0;
    let droppedFrames = 0;
    for (const [ip, r] of this.resolving) {
      if (r.nextRequestAt > now) continue;
      if (r.requestsSent >= this.options.maxRequests) {
        this.resolving.delete(ip);
        this.failed.set(ip, now + this.options.failureHoldMs);
        failed++;
        droppedFrames += r.queue.length;
        continue;
      }
      r.requestsSent++;
      r.nextRequestAt = now + this.options.retryIntervalMs;
      requests.push(ip);
    }
    return { requests, failed, droppedFrames };
  }

  /** The next time `tick` has something to do. */
  pollAt(): number {
    let t = Number.POSITIVE_INFINITY;
    for (const r of this.resolving.values()) if (r.nextRequestAt < t) t = r.nextRequestAt;
    return t;
  }

  /** Number of resolved entries (fresh or stale). */
  get size(): number {
    return this.entries.size;
  }

  /** Number of addresses being resolved. */
  get resolvingCount(): number {
    return this.resolving.size;
  }
}
