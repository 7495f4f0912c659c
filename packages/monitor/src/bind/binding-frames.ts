/**
 * The frames of binding channels, given back when the binding is over. A cross-core binding's channel
 * lives in a Frame of the server core's RAM (exports.ts); it may be reused only once neither end will
 * touch the region again, that is when both ends have written their `closed` word. Whichever end
 * closes first (its domain closes the binding or exits), its monitor tells the other end's monitor
 * (intermon bind_closed). That end then finishes by itself, once it has delivered what the peer sent
 * before closing (it sees the peer's `closed` word), and is closed from its monitor only if it does
 * not; the server's monitor then deletes the Frame and its RAM comes back (`mem` shows it). An end
 * whose core died counts as closed (failConnection).
 */

import { deleteCap } from "@shoal/caps";
import type { Dcb } from "@shoal/cpu-driver";
import { regionClosed } from "@shoal/runtime";
import type { Monitor } from "../core/monitor.js";
import type { ClosableBinding } from "./local-bindings.js";

/** How often, and how many times, an end whose peer closed is checked before it is closed from here. */
const DRAIN_POLL_MS = 50;
const DRAIN_TRIES = 40;

/** One end of a cross-core binding channel held on this core. */
interface End {
  readonly offset: number;
  readonly dcb: Dcb;
  readonly peerCore: number;
  readonly binding: ClosableBinding;
  /** The server's end: the channel's Frame (its CTE in the monitor's CSpace, base and size). */
  readonly frame: { readonly cte: number; readonly base: number; readonly bytes: number } | null;
  /** The peer's monitor was told. */
  told: boolean;
  /** The peer's monitor said its end is closed (an end that saw its peer close writes no word). */
  peerDone: boolean;
}

/** The binding ends of one core, by channel offset. */
export class BindingFrames {
  readonly #m: Monitor;
  readonly #ends = new Map<number, End>();

  constructor(m: Monitor) {
    this.#m = m;
  }

  /** Records an end bound on this core (`frame` on the server's side). */
  add(end: Omit<End, "told" | "peerDone">): void {
    this.#ends.set(end.offset, { ...end, told: false, peerDone: false });
  }

  /**
   * This core's end at `offset` closed, or should (`from`: the peer core that said its end closed):
   * close it, tell the peer, free what can be.
   */
  closed(offset: number, from?: number): void {
    const e = this.#ends.get(offset);
    if (e === undefined || (from !== undefined && from !== e.peerCore)) return;
    if (from !== undefined) e.peerDone = true;
    if (!e.binding.closed) {
      // Closed here: close it now. Closed by the peer: its end sees closed[peer] itself and first
      // delivers what the peer sent before it went (a message sent just before an exit); closing it
      // from here could drop those. It is closed from here only if it does not finish on its own.
      if (from === undefined) void e.binding.close();
      else this.#closeWhenDrained(e, DRAIN_TRIES);
    }
    if (!e.told && !this.#m.mesh.isDead(e.peerCore)) {
      e.told = true;
      try {
        this.#m
          .peer(e.peerCore)
          .tx.bind_closed(BigInt(offset))
          .catch(() => {});
      } catch {
        // The peer is gone: its end counts as closed.
      }
    }
    this.#free(e);
  }

  /** Domain `dcb` finished: each of its ends closes. */
  domainExited(dcb: Dcb): void {
    for (const e of [...this.#ends.values()]) if (e.dcb === dcb) this.closed(e.offset);
  }

  /**
   * Core `core` died: the ends facing it are over. They are not closed here (their pending calls must
   * fail with PEER_DIED, which each end sees at its next look); a server end's frame goes once it has.
   */
  coreDied(core: number): void {
    for (const e of [...this.#ends.values()]) {
      if (e.peerCore !== core) continue;
      e.told = true;
      e.peerDone = true;
      this.#freeWhenFinished(e, 50);
    }
  }

  /** Waits for an end whose peer closed to finish on its own (then frees it), else closes it. */
  #closeWhenDrained(e: End, tries: number): void {
    if (!e.binding.closed && tries <= 0) void e.binding.close();
    if (e.binding.closed) {
      this.#free(e);
      return;
    }
    setTimeout(() => this.#closeWhenDrained(e, tries - 1), DRAIN_POLL_MS).unref?.();
  }

  #freeWhenFinished(e: End, tries: number): void {
    this.#free(e);
    if (!this.#ends.has(e.offset) || tries <= 0) return;
    setTimeout(() => this.#freeWhenFinished(e, tries - 1), 100).unref?.();
  }

  /** Frees the server end's Frame once both ends are closed (the client end just goes). */
  #free(e: End): void {
    const mem = this.#m.boot.memory;
    if (e.frame === null) {
      this.#ends.delete(e.offset);
      return;
    }
    // The server's end (side 0) is over once its binding is closed (by its own close, which writes
    // its word, or by the peer's, which it saw); the client's end once side 1's word says so.
    if (!e.binding.closed) return;
    if (!e.peerDone && !regionClosed(mem, e.offset, 1) && !this.#m.mesh.isDead(e.peerCore)) return;
    this.#ends.delete(e.offset);
    const ram = this.#m.cpu.ram;
    deleteCap(ram.kernel, e.frame.cte);
    ram.release(e.frame.base, e.frame.bytes);
    this.#m.exports.untrack(e.offset);
  }
}
