/**
 * A monitor's end of the intermon mesh, bound lazily: the channel to core k is laid out in physical
 * memory from boot (layout.ts), but this monitor binds its end only when it first talks to k, or when
 * k asks (k set its own bit in this core's mesh requests and rang this core's doorbell). Binding all N - 1 ends at boot cost every core a few ms of setup and, worse,
 * N - 1 channels to poll on every turn of its dispatcher for the life of the system.
 */
import { doorbellAt, type Endpoint, pollWith, ringDoorbell } from "@shoal/runtime";
import { type BootLayout, doorbellOffset, meshRequests } from "../layout.js";

/** Why there is no binding to a core. */
export type NoPeer = "is dead" | "is this core" | "does not exist";

/** The lazily bound mesh of one core. */
export class Mesh<B> {
  readonly #core: number;
  readonly #memory: SharedArrayBuffer;
  readonly #layout: BootLayout;
  readonly #endpoints: readonly (Endpoint | null)[];
  readonly #bind: (ep: Endpoint, core: number) => B;
  /** Bindings by core: undefined until bound, null for this core and for dead cores. */
  readonly #bound: (B | null | undefined)[];
  readonly #dead = new Set<number>();
  readonly #requests: Int32Array;
  readonly #stopWatching: () => void;

  constructor(
    core: number,
    memory: SharedArrayBuffer,
    layout: BootLayout,
    endpoints: readonly (Endpoint | null)[],
    bind: (ep: Endpoint, core: number) => B,
  ) {
    this.#core = core;
    this.#memory = memory;
    this.#layout = layout;
    this.#endpoints = endpoints;
    this.#bind = bind;
    this.#bound = endpoints.map((ep, k) => (ep === null || k === core ? null : undefined));
    this.#requests = meshRequests(memory, layout, core);
    const requests = this.#requests;
    this.#stopWatching = pollWith({
      poll: () => this.#answerRequests(),
      prepareSleep: () => {
        for (let i = 0; i < requests.length; i++) if (Atomics.load(requests, i) !== 0) return false;
        return true;
      },
    });
  }

  /** The other cores of the machine, dead or alive. */
  get others(): number[] {
    return this.#endpoints.flatMap((_, k) => (k === this.#core ? [] : [k]));
  }

  /** The binding to `core`, bound now if this is the first word to it; a NoPeer reason when there is none. */
  peer(core: number): B | NoPeer {
    if (!Number.isInteger(core) || core < 0 || core >= this.#bound.length) return "does not exist";
    const b = this.#bound[core];
    if (b !== undefined && b !== null) return b;
    if (b === undefined) return this.#open(core, true);
    return this.#dead.has(core) ? "is dead" : core === this.#core ? "is this core" : "does not exist";
  }

  /** True when this core's end of the channel to `core` is bound. */
  isBound(core: number): boolean {
    const b = this.#bound[core];
    return b !== undefined && b !== null;
  }

  /** True once {@link forget} was told that `core` died. */
  isDead(core: number): boolean {
    return this.#dead.has(core);
  }

  /** `core` died: no binding to it any more (its channel is failed by the monitor). */
  forget(core: number): void {
    if (core === this.#core || core < 0 || core >= this.#bound.length) return;
    this.#dead.add(core);
    this.#bound[core] = null;
  }

  /** Stops watching for requests (the core is going down). */
  close(): void {
    this.#stopWatching();
  }

  #open(core: number, announce: boolean): B {
    const b = this.#bind(this.#endpoints[core] as Endpoint, core);
    this.#bound[core] = b;
    if (announce) {
      // My bit in the peer's requests, then its doorbell: it binds its end when it next polls.
      const theirs = meshRequests(this.#memory, this.#layout, core);
      Atomics.or(theirs, this.#core >> 5, 1 << (this.#core & 31));
      ringDoorbell(doorbellAt(this.#memory, doorbellOffset(core)));
    }
    return b;
  }

  /** One load per 32 cores when idle; binds the end of every channel a peer opened. */
  #answerRequests(): boolean {
    const requests = this.#requests;
    let work = false;
    for (let i = 0; i < requests.length; i++) {
      if (Atomics.load(requests, i) === 0) continue;
      let bits = Atomics.exchange(requests, i, 0);
      while (bits !== 0) {
        const bit = 31 - Math.clz32(bits);
        bits &= ~(1 << bit);
        const k = i * 32 + bit;
        if (this.#bound[k] === undefined) this.#open(k, false);
        work = true;
      }
    }
    return work;
  }
}
