/**
 * What the protocol code needs from the world, per core: channels to other cores, one shared line
 * for broadcast, a clock and timers. The simulator implements it over simulated time and a cost
 * model; a real core implements it over URPC channels in the machine's memory. The protocol never
 * sees which.
 */
import type { Wire } from "./messages.js";

/** A timer that can be cancelled. */
export interface Timer {
  cancel(): void;
}

/** One core's view of the transport and its clock. */
export interface CoreEnv {
  /** This core's number. */
  readonly core: number;
  /** Sends on the channel to `to` (one channel per pair, FIFO). */
  send(to: number, msg: Wire): void;
  /**
   * Writes `msg` once to a line that each of `to` polls (the broadcast channel). A transport without
   * such a line may send it on each channel instead.
   */
  publish(to: readonly number[], msg: Wire): void;
  /** Now, in nanoseconds (simulated or real). */
  now(): number;
  /** Calls `fire` on this core after `delayNs`. */
  setTimer(delayNs: number, fire: () => void): Timer;
}
