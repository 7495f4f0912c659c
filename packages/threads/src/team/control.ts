import { Layout } from "../memory/layout.js";
import { BARRIER_BYTES } from "../sync/barrier.js";

/** The largest team a control block has room for. */
export const MAX_TEAM = 64;

/**
 * Offsets in a team's control block (one per team, shared by every member):
 *
 * ```
 *  barrier (128 B) | reduction slots: 2 parities × MAX_TEAM f64 | dynamic-loop counters: 2 × 64 B
 * ```
 * Reductions alternate parities so one barrier per reduction suffices: reduction k+2 reuses k's slots
 * only after barrier k+1, which no member passes before it has read reduction k.
 */
export const CONTROL = (() => {
  const l = new Layout();
  const barrier = l.take(BARRIER_BYTES);
  const slots = l.take(2 * MAX_TEAM * 8);
  const counters = l.take(128);
  return { barrier, slots, counters, bytes: l.size } as const;
})();
