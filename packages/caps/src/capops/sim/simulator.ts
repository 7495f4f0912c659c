/**
 * A seeded, deterministic simulator of the monitor mesh for the distributed capability operations:
 * 2 or more cores, each with its own coordinator and capability store, one FIFO queue per ordered
 * pair of cores, and a scheduler that delivers the head of a randomly chosen non-empty queue, so
 * that messages on different channels interleave in every order a real machine could produce.
 * Optional delays hold a message back until the simulated clock reaches its delivery time (still
 * FIFO per channel).
 *
 * It also measures what the benchmark reports: messages per operation, and the operation's depth
 * in message hops (the longest causal chain from its start to its outcome).
 */
import { CapCoordinator } from "../coordinator.js";
import type { OpOutcome } from "../env.js";
import type { CapLink } from "../link.js";
import type { CapMessage } from "../protocol.js";
import type { CapStore } from "../store.js";
import type { CoreId, OpId } from "../types.js";
import { Rng } from "./rng.js";

/** A message on its way. */
export interface InFlight {
  readonly from: CoreId;
  readonly to: CoreId;
  readonly msg: CapMessage;
  /** Hops from the start of the operation that caused it. */
  readonly hops: number;
  /** Earliest simulated time of delivery. */
  readonly at: number;
}

/** An operation's outcome as the simulator saw it. */
export interface Observed {
  readonly core: CoreId;
  readonly outcome: OpOutcome;
  /** Causal depth of the outcome in message hops (0: decided without messages). */
  readonly hops: number;
}

/** Simulator settings. */
export interface SimOptions {
  readonly cores: number;
  readonly seed: number;
  /** Each message is delayed by 0..maxDelay ticks (0: no delays, pure interleaving). */
  readonly maxDelay?: number;
}

/** The simulated machine. */
export class Simulation<S extends CapStore> {
  readonly coordinators: CapCoordinator[] = [];
  readonly stores: S[] = [];
  readonly outcomes = new Map<OpId, Observed>();
  /** Messages sent on behalf of each operation. */
  readonly messages = new Map<OpId, number>();
  now = 0;
  delivered = 0;
  /** Called after each outcome, before anything else runs (to check what must hold right then). */
  onOutcome: ((o: Observed) => void) | undefined;
  private readonly rng: Rng;
  private readonly maxDelay: number;
  private readonly queues = new Map<string, InFlight[]>();
  private hops = 0;

  constructor(options: SimOptions, makeStore: (core: CoreId) => S) {
    this.rng = new Rng(options.seed);
    this.maxDelay = options.maxDelay ?? 0;
    const cores = Array.from({ length: options.cores }, (_, i) => i);
    for (const core of cores) {
      const store = makeStore(core);
      let handler: ((from: CoreId, msg: CapMessage) => void) | undefined;
      const link: CapLink = {
        self: core,
        cores,
        send: (to, msg) => this.enqueue(core, to, msg),
        onMessage: (h) => {
          handler = h;
        },
      };
      const coordinator = new CapCoordinator(link, store, () => this.now);
      coordinator.onComplete((outcome) => {
        const o = { core, outcome, hops: this.hops };
        this.outcomes.set(outcome.op, o);
        this.onOutcome?.(o);
      });
      this.stores.push(store);
      this.coordinators.push(coordinator);
      this.handlers.push((from, msg) => handler?.(from, msg));
    }
  }

  private readonly handlers: ((from: CoreId, msg: CapMessage) => void)[] = [];

  /** Starts an operation on `core` from outside (a domain's invocation): depth 0. */
  start(core: CoreId, begin: (c: CapCoordinator) => OpId): OpId {
    this.hops = 0;
    const c = this.coordinators[core];
    if (!c) throw new RangeError(`no core ${core}`);
    return begin(c);
  }

  private enqueue(from: CoreId, to: CoreId, msg: CapMessage): void {
    const key = `${from}>${to}`;
    let q = this.queues.get(key);
    if (!q) {
      q = [];
      this.queues.set(key, q);
    }
    const last = q[q.length - 1];
    const delay = this.maxDelay > 0 ? this.rng.int(this.maxDelay + 1) : 0;
    const at = Math.max(last ? last.at : 0, this.now + delay);
    q.push({ from, to, msg, hops: this.hops + 1, at });
    this.messages.set(msg.op, (this.messages.get(msg.op) ?? 0) + 1);
  }

  /** Everything still travelling. */
  inFlight(): InFlight[] {
    return [...this.queues.values()].flat();
  }

  /** Delivers one message; false when nothing is left to deliver. */
  step(): boolean {
    let ready: InFlight[][] = [];
    let earliest = Number.POSITIVE_INFINITY;
    for (const q of this.queues.values()) {
      const head = q[0];
      if (!head) continue;
      if (head.at <= this.now) ready.push(q);
      earliest = Math.min(earliest, head.at);
    }
    if (ready.length === 0) {
      if (earliest === Number.POSITIVE_INFINITY) return false;
      this.now = earliest;
      ready = [...this.queues.values()].filter((q) => q[0] !== undefined && q[0].at <= this.now);
    }
    const q = ready[this.rng.int(ready.length)] as InFlight[];
    const m = q.shift() as InFlight;
    this.hops = m.hops;
    this.delivered += 1;
    this.handlers[m.to]?.(m.from, m.msg);
    this.hops = 0;
    return true;
  }

  /**
   * Delivers until nothing is in flight, calling `between` before each delivery (to start more
   * operations mid-run). Returns false if `maxSteps` deliveries did not get there (a livelock).
   */
  run(maxSteps = 1_000_000, between?: (step: number) => void): boolean {
    for (let i = 0; i < maxSteps; i++) {
      between?.(i);
      if (!this.step()) return true;
    }
    return this.inFlight().length === 0;
  }

  /** A random integer in [0, n) from the simulation's own stream (for schedule-driven choices). */
  random(n: number): number {
    return this.rng.int(n);
  }
}
