/**
 * A discrete-event simulation of a multicore machine running the protocol code unchanged: each core
 * is a sequential processor with its own busy-until time; handling a message, sending one, and
 * invalidating a TLB advance that core's clock by the cost model; a message arrives after the
 * modelled latency of its hop (plus a penalty when its buffer lives on a node other than the
 * receiver's). The broadcast line is read by its receivers one after the other (N readers, N
 * transfers). Everything is deterministic for a seed.
 */

import type { CoreEnv, RouteTable, Timer, Wire } from "@shoal/agreement";
import { ShootdownError } from "../errors.js";
import { type CostModel, latencyCycles, nodeHops, type SimTopology } from "./cost-model.js";
import { EventQueue, seededRandom } from "./event-queue.js";

/** What a core does with a delivered message. */
export type Receiver = (from: number, msg: Wire) => void;

/** Options of a {@link SimMachine}. */
export interface SimOptions {
  readonly seed?: number;
  /** The routes, to find each channel's buffer node (NUMA-aware multicast); default: the sender's node. */
  readonly routes?: RouteTable;
}

/** Counters of a run. */
export interface SimStats {
  delivered: number;
  dropped: number;
  lineTransfers: number;
}

/** A simulated machine. Time is in nanoseconds. */
export class SimMachine {
  readonly model: CostModel;
  readonly topo: SimTopology;
  readonly stats: SimStats = { delivered: 0, dropped: 0, lineTransfers: 0 };
  readonly #queue = new EventQueue();
  readonly #busy: number[];
  readonly #cursor: number[];
  readonly #running: boolean[];
  readonly #dead: boolean[];
  readonly #receivers: (Receiver | undefined)[];
  readonly #deathListeners: (((core: number) => void) | undefined)[];
  readonly #lastArrival = new Map<number, number>();
  readonly #rng: () => number;
  readonly #routes: RouteTable | undefined;
  #now = 0;

  constructor(model: CostModel, topo: SimTopology, options: SimOptions = {}) {
    this.model = model;
    this.topo = topo;
    const n = topo.cores;
    this.#busy = new Array<number>(n).fill(0);
    this.#cursor = new Array<number>(n).fill(0);
    this.#running = new Array<boolean>(n).fill(false);
    this.#dead = new Array<boolean>(n).fill(false);
    this.#receivers = new Array<Receiver | undefined>(n).fill(undefined);
    this.#deathListeners = new Array<((core: number) => void) | undefined>(n).fill(undefined);
    this.#rng = seededRandom(options.seed ?? 1);
    this.#routes = options.routes;
  }

  /** The simulated time of the event being processed (or of the last one). */
  get now(): number {
    return this.#now;
  }

  #ns(cycles: number): number {
    return cycles / this.model.ghz;
  }

  #check(core: number): void {
    if (!Number.isInteger(core) || core < 0 || core >= this.topo.cores) {
      throw new ShootdownError("BAD_ARGUMENT", `core ${core} is not one of 0..${this.topo.cores - 1}`, {
        core,
      });
    }
  }

  /** Connects `core`'s message handler and death handler. */
  attach(core: number, receive: Receiver, peerDied?: (core: number) => void): void {
    this.#check(core);
    this.#receivers[core] = receive;
    this.#deathListeners[core] = peerDied;
  }

  /** Runs `job` on `core` at `time` (or as soon after as the core is free). */
  at(time: number, core: number, job: () => void): void {
    this.#check(core);
    this.#queue.push(time, core, () => this.#onCore(core, time, 0, job));
  }

  /** Charges `cycles` of work to the core running now (the protocol's local work, e.g. invalidation). */
  charge(core: number, cycles: number): void {
    if (this.#running[core]) this.#cursor[core] = (this.#cursor[core] ?? 0) + this.#ns(cycles);
  }

  /** Kills `core` at `time`: it stops, messages to it are lost, the others hear of it later. */
  kill(core: number, time: number): void {
    this.#check(core);
    this.#queue.push(time, core, () => {
      this.#dead[core] = true;
      const told = time + this.#ns(this.model.deathDetectCycles);
      for (let c = 0; c < this.topo.cores; c++) {
        const listener = this.#deathListeners[c];
        if (c !== core && listener !== undefined) this.at(told, c, () => listener(core));
      }
    });
  }

  /** True when `core` was killed. */
  isDead(core: number): boolean {
    return this.#dead[core] === true;
  }

  /** Runs events until none is left (or until `limit` events ran); the number run. */
  run(limit = 10_000_000): number {
    let n = 0;
    for (let e = this.#queue.pop(); e !== undefined; e = this.#queue.pop()) {
      if (e.cancelled) continue;
      this.#now = e.time;
      e.run();
      if (++n >= limit)
        throw new ShootdownError("TIMEOUT", `the simulation did not settle in ${limit} events`);
    }
    return n;
  }

  #onCore(core: number, time: number, extraCycles: number, job: () => void): void {
    if (this.#dead[core]) {
      this.stats.dropped++;
      return;
    }
    const start = Math.max(time, this.#busy[core] ?? 0);
    if (start > time) {
      // The core is busy: come back when it is free (keeps events in time order).
      this.#queue.push(start, core, () => this.#onCore(core, start, extraCycles, job));
      return;
    }
    this.#running[core] = true;
    this.#cursor[core] = start + this.#ns(extraCycles);
    try {
      job();
    } finally {
      this.#running[core] = false;
      this.#busy[core] = this.#cursor[core] ?? start;
    }
  }

  #jittered(cycles: number): number {
    return cycles * (1 + this.model.jitter * (2 * this.#rng() - 1));
  }

  #deliver(from: number, to: number, msg: Wire, arrival: number): void {
    // Each channel is FIFO: a message never overtakes the one before it on the same channel.
    const key = from * this.topo.cores + to;
    const t = Math.max(arrival, this.#lastArrival.get(key) ?? 0);
    this.#lastArrival.set(key, t);
    this.#queue.push(t, to, () =>
      this.#onCore(to, t, this.model.recvCycles, () => {
        const r = this.#receivers[to];
        if (r === undefined) {
          this.stats.dropped++;
          return;
        }
        this.stats.delivered++;
        r(from, msg);
      }),
    );
  }

  #bufferPenalty(to: number, msg: Wire): number {
    if (msg.t !== "down") return 0;
    // Without a NUMA-aware placement, the initiator allocated every channel from its own memory.
    const node = this.#routes?.bufferNode(msg.root, to) ?? this.topo.nodeOf[msg.root] ?? 0;
    return nodeHops(this.topo, node, this.topo.nodeOf[to] ?? 0) * this.model.remoteBufferPerHop;
  }

  /** The environment of one core: what the protocol code sees. */
  env(core: number): CoreEnv {
    this.#check(core);
    const m = this;
    return {
      core,
      send(to, msg) {
        m.#check(to);
        m.charge(core, m.model.sendCycles);
        const sent = m.#cursor[core] ?? m.#now;
        const lat = m.#jittered(latencyCycles(m.model, m.topo, core, to)) + m.#bufferPenalty(to, msg);
        m.#deliver(core, to, msg, sent + m.#ns(lat));
      },
      publish(to, msg) {
        // One write of the line, then each reader fetches it; the fetches queue at the line.
        m.charge(core, m.model.sendCycles);
        const sent = m.#cursor[core] ?? m.#now;
        const order = [...to].map((c) => ({ c, k: m.#rng() })).sort((a, b) => a.k - b.k);
        let lineFree = sent;
        for (const { c } of order) {
          m.#check(c);
          const lat = m.#ns(m.#jittered(latencyCycles(m.model, m.topo, core, c)));
          const arrival = Math.max(sent + lat, lineFree + lat * m.model.lineOccupancy);
          lineFree = arrival;
          m.stats.lineTransfers++;
          m.#deliver(core, c, msg, arrival);
        }
      },
      now: () => (m.#running[core] ? (m.#cursor[core] ?? m.#now) : m.#now),
      setTimer(delayNs, fire): Timer {
        const start = m.#running[core] ? (m.#cursor[core] ?? m.#now) : m.#now;
        let cancelled = false;
        m.#queue.push(start + delayNs, core, () => {
          if (!cancelled) m.#onCore(core, start + delayNs, 0, fire);
        });
        return {
          cancel: () => {
            cancelled = true;
          },
        };
      },
    };
  }
}
