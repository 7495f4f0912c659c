/**
 * The monitor-side entry of `vspace.unmap` / `vspace.protect`: a one-phase commit. The monitor first
 * edits the domain's (shared) page tables, so that from then on no core can refill its TLB with the
 * old translation, then shoots the range down on every core of the domain; `done` runs only when
 * every core has invalidated and acknowledged, i.e. when no core can still translate through the old
 * mapping. The page-table edit and each core's TLB invalidation are callbacks: the monitor passes
 * its vspace and its core's MMU (libshoal's vspace is not on main yet; see docs/shootdown.md).
 */

import type { Range, ShootdownCore } from "@shoal/agreement";
import type { ShootdownError } from "../errors.js";

/** What changes for the range. */
export type MappingChange = "unmap" | "protect";

/** The monitor's page-table side of an unmap or protect. */
export interface VspaceHooks {
  /** Removes the range's mappings (unmap) or their write right (protect) from the page tables. */
  updatePageTables(range: Range, change: MappingChange): void;
}

/**
 * Unmaps or protects `range` for every core of `core`'s routes: page tables first, then the
 * shootdown. `done` gets PEER_DIED or TIMEOUT if a core could not confirm.
 */
export function unmapRange(
  core: ShootdownCore,
  hooks: VspaceHooks,
  range: Range,
  change: MappingChange,
  done: (err?: ShootdownError) => void,
): void {
  hooks.updatePageTables(range, change);
  core.shootdown(range, done);
}
