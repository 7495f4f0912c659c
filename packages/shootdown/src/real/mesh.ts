/**
 * One real core's transport: a {@link CoreEnv} over the mailboxes and broadcast lines of
 * layout.ts, and the core's loop (poll, run due timers, spin a bounded while, then sleep on the
 * doorbell). Every core is a worker thread; nothing spins unboundedly.
 */

import type { CoreEnv, Timer, Wire } from "@shoal/agreement";
import { ShootdownError } from "../errors.js";
import { decodeWire, encodeWire } from "./codec.js";
import {
  BC_MASK,
  BC_MSG,
  BC_READ,
  BC_SEQ,
  DOOR_COUNT,
  DOOR_SLEEPING,
  LINE_WORDS,
  type MeshLayout,
  MSG_WORDS,
  ringAt,
  SLOTS,
  W_HALT,
} from "./layout.js";

interface PendingTimer {
  readonly at: number;
  readonly fire: () => void;
  cancelled: boolean;
}

/** Options of a core's loop. */
export interface LoopOptions {
  /**
   * Microseconds of idle polling before sleeping on the doorbell (default 50: about what waking a
   * sleeping core costs on these machines, so spinning longer buys nothing).
   */
  readonly spinUs?: number;
  /** Longest sleep, ms, before looking at timers and the halt word again (default 2). */
  readonly sleepMs?: number;
}

/** A core's end of the real-core mesh. */
export class MeshCore {
  readonly core: number;
  readonly #w: Int32Array;
  readonly #l: MeshLayout;
  readonly #lastSeq: Int32Array;
  readonly #timers: PendingTimer[] = [];
  readonly #deadSeen: boolean[];
  #receive: (from: number, msg: Wire) => void = () => {};
  #peerDied: (core: number) => void = () => {};
  #lastReaders: readonly number[] = [];

  constructor(memory: SharedArrayBuffer, layout: MeshLayout, core: number) {
    this.#w = new Int32Array(memory);
    this.#l = layout;
    this.core = core;
    this.#lastSeq = new Int32Array(layout.cores);
    this.#deadSeen = new Array<boolean>(layout.cores).fill(false);
  }

  /** Where delivered messages and death notices go. */
  attach(receive: (from: number, msg: Wire) => void, peerDied: (core: number) => void): void {
    this.#receive = receive;
    this.#peerDied = peerDied;
  }

  get halted(): boolean {
    return Atomics.load(this.#w, W_HALT) !== 0;
  }

  #ring(to: number): void {
    const d = this.#l.door + to * LINE_WORDS;
    Atomics.add(this.#w, d + DOOR_COUNT, 1);
    // Only a sleeping core needs the (expensive) notify; it re-polls after setting the flag.
    if (Atomics.load(this.#w, d + DOOR_SLEEPING) !== 0) Atomics.notify(this.#w, d + DOOR_COUNT);
  }

  #send(to: number, msg: Wire): void {
    const r = ringAt(this.#l, this.core, to);
    const head = Atomics.load(this.#w, r);
    let spins = 0;
    // Full ring: take our own messages meanwhile so that two cores sending to each other cannot stall.
    while (head - Atomics.load(this.#w, r + LINE_WORDS) >= SLOTS) {
      this.poll();
      if (++spins > 1_000_000) throw new ShootdownError("TIMEOUT", `ring ${this.core}->${to} stayed full`);
    }
    encodeWire(msg, this.#w, r + 2 * LINE_WORDS + (head % SLOTS) * MSG_WORDS);
    // Publishes the slot: the consumer reads head with Atomics.load, so the words above are visible.
    Atomics.store(this.#w, r, head + 1);
    this.#ring(to);
  }

  #publish(to: readonly number[], msg: Wire): void {
    const b = this.#l.bcast + this.core * LINE_WORDS;
    let spins = 0;
    // One line: the previous message must have been read by all its readers before it is overwritten.
    while (Atomics.load(this.#w, b + BC_READ) < this.#lastReaders.length) {
      this.poll();
      // A dead reader never reads: the line is free once the living ones have (their round failed).
      if (this.#lastReaders.some((c) => this.#deadSeen[c])) break;
      if (++spins > 1_000_000)
        throw new ShootdownError("TIMEOUT", `broadcast line of core ${this.core} not read`);
    }
    let mask = 0;
    for (const c of to) mask |= 1 << c;
    encodeWire(msg, this.#w, b + BC_MSG);
    this.#w[b + BC_MASK] = mask;
    Atomics.store(this.#w, b + BC_READ, 0);
    this.#lastReaders = [...to];
    Atomics.add(this.#w, b + BC_SEQ, 1);
    for (const c of to) this.#ring(c);
  }

  /** Takes every waiting message (mailboxes, then broadcast lines) and due timers; returns how many. */
  poll(): number {
    let n = 0;
    const w = this.#w;
    for (let from = 0; from < this.#l.cores; from++) {
      if (from === this.core) continue;
      const r = ringAt(this.#l, from, this.core);
      let tail = w[r + LINE_WORDS] ?? 0;
      const head = Atomics.load(w, r);
      while (tail !== head) {
        const msg = decodeWire(w, r + 2 * LINE_WORDS + (tail % SLOTS) * MSG_WORDS);
        tail++;
        Atomics.store(w, r + LINE_WORDS, tail);
        n++;
        this.#receive(from, msg);
      }
      const b = this.#l.bcast + from * LINE_WORDS;
      const seq = Atomics.load(w, b + BC_SEQ);
      if (seq !== this.#lastSeq[from]) {
        this.#lastSeq[from] = seq;
        if (((w[b + BC_MASK] ?? 0) & (1 << this.core)) !== 0) {
          const msg = decodeWire(w, b + BC_MSG);
          Atomics.add(w, b + BC_READ, 1);
          n++;
          this.#receive(from, msg);
        }
      }
    }
    for (let c = 0; c < this.#l.cores; c++) {
      if (!this.#deadSeen[c] && Atomics.load(w, this.#l.dead + c) !== 0) {
        this.#deadSeen[c] = true;
        this.#peerDied(c);
      }
    }
    if (this.#timers.length > 0) {
      const now = performance.now() * 1e6;
      for (let i = this.#timers.length - 1; i >= 0; i--) {
        const t = this.#timers[i] as PendingTimer;
        if (t.cancelled || t.at <= now) {
          this.#timers.splice(i, 1);
          if (!t.cancelled) t.fire();
        }
      }
    }
    return n;
  }

  /** Polls until `stop()` or the halt word; spins a bounded while when idle, then sleeps. */
  loop(stop: () => boolean, options: LoopOptions = {}): void {
    const spinMs = (options.spinUs ?? 50) / 1000;
    const sleepMs = options.sleepMs ?? 2;
    const d = this.#l.door + this.core * LINE_WORDS;
    let idleSince = -1;
    while (!stop() && !this.halted) {
      const bell = Atomics.load(this.#w, d + DOOR_COUNT);
      if (this.poll() > 0) {
        idleSince = -1;
        continue;
      }
      const now = performance.now();
      if (idleSince < 0) idleSince = now;
      if (now - idleSince < spinMs) continue;
      Atomics.store(this.#w, d + DOOR_SLEEPING, 1);
      // A message that came after the bell was read changed the counter: wait returns at once.
      if (this.poll() === 0) Atomics.wait(this.#w, d + DOOR_COUNT, bell, sleepMs);
      Atomics.store(this.#w, d + DOOR_SLEEPING, 0);
      idleSince = -1;
    }
  }

  /** The protocol's view of this core. */
  env(): CoreEnv {
    return {
      core: this.core,
      send: (to, msg) => this.#send(to, msg),
      publish: (to, msg) => this.#publish(to, msg),
      now: () => performance.now() * 1e6,
      setTimer: (delayNs, fire): Timer => {
        const t: PendingTimer = { at: performance.now() * 1e6 + delayNs, fire, cancelled: false };
        this.#timers.push(t);
        return {
          cancel: () => {
            t.cancelled = true;
          },
        };
      },
    };
  }
}
