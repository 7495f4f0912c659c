/**
 * A priority queue of simulation events, ordered by time and then by insertion, so that two runs
 * with the same seed make the same choices in the same order (a binary heap over an array).
 */

/** One scheduled event. */
export interface SimEvent {
  readonly time: number;
  readonly seq: number;
  readonly core: number;
  readonly run: () => void;
  cancelled: boolean;
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** The pending events of a simulation. */
export class EventQueue {
  readonly #heap: SimEvent[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** Schedules `run` on `core` at `time`. */
  push(time: number, core: number, run: () => void): SimEvent {
    const e: SimEvent = { time, seq: this.#seq++, core, run, cancelled: false };
    const h = this.#heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, h[p] as SimEvent)) break;
      h[i] = h[p] as SimEvent;
      i = p;
    }
    h[i] = e;
    return e;
  }

  /** The earliest event, removed; undefined when none is left. */
  pop(): SimEvent | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && before(h[r] as SimEvent, h[l] as SimEvent) ? r : l;
      if (!before(h[c] as SimEvent, last)) break;
      h[i] = h[c] as SimEvent;
      i = c;
    }
    h[i] = last;
    return top;
  }
}

/** A small seeded generator (mulberry32): the simulator's only source of randomness. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
