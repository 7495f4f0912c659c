/**
 * Identify: what a capability names (Barrelfish `cap_identify`), for a holder with the IDENTIFY right.
 */

import { FLAG_IN_DELETE, FLAG_LOCKED, FLAG_REMOTE_MASK } from "../cspace/cte-layout.js";
import { type CapResult, fail, ok } from "../errors.js";
import type { CapKernel } from "../kernel/cap-kernel.js";
import { hasRights, RIGHT_IDENTIFY } from "../types/rights.js";
import { T, typeName } from "../types/rules.js";
import type { CapType } from "../types/table.js";

/** A capability as identify reports it. */
export interface CapInfo {
  readonly type: CapType;
  /** Object base: a physical address, or the first vector/port/id of a range type. */
  readonly base: number;
  /** Object size in bytes (or count); 1 for a mapping, 0 for tokens. */
  readonly size: number;
  readonly rights: number;
  readonly badge: number;
  /** The core that owns the object. */
  readonly owner: number;
  /** Remote-relation bits (FLAG_REMOTE_COPIES | _DESCS | _ANCS). */
  readonly relations: number;
  /** A distributed operation holds the capability. */
  readonly locked: boolean;
  /** The capability is being deleted. */
  readonly inDelete: boolean;
}

/** Reads CTE `c` without checking rights (kernel use). */
export function describe(k: CapKernel, c: number): CapInfo {
  const s = k.s;
  const flags = s.flags(c);
  return {
    type: typeName(s.type(c)),
    base: s.base(c),
    size: s.size(c),
    rights: s.rights(c),
    badge: s.badge(c),
    owner: s.owner(c),
    relations: flags & FLAG_REMOTE_MASK,
    locked: (flags & FLAG_LOCKED) !== 0,
    inDelete: (flags & FLAG_IN_DELETE) !== 0,
  };
}

/** Identifies CTE `c` for its holder. */
export function identify(k: CapKernel, c: number): CapResult<CapInfo> {
  const s = k.s;
  if (s.type(c) === T.Null) return fail("CAP_NOT_FOUND", "the slot is empty");
  if (!hasRights(s.rights(c), RIGHT_IDENTIFY)) return fail("CAP_RIGHTS", "identify needs the IDENTIFY right");
  return ok(describe(k, c));
}
