/**
 * Copy and mint: a new CTE naming the same object. Mint also narrows the rights (to the
 * intersection with the requested ones: rights never grow) and may set a badge on an EndPoint.
 * A copy inherits the owner and the remote-relation bits (the object's relations, not the slot's).
 */

import { FLAG_IN_DELETE } from "../cspace/cte-layout.js";
import { type CapResult, fail, OK } from "../errors.js";
import type { CapKernel } from "../kernel/cap-kernel.js";
import { isBadge, isRightsMask } from "../types/rights.js";
import { COPY_NEVER, T, TYPE_COPY, typeName } from "../types/rules.js";

/** Copies CTE `src` into the empty CTE `dst`. */
export function copy(k: CapKernel, src: number, dst: number): CapResult<undefined> {
  const s = k.s;
  const type = s.type(src);
  if (type === T.Null) return fail("CAP_NOT_FOUND", "the source slot is empty");
  if (TYPE_COPY[type] === COPY_NEVER)
    return fail("CAP_NOT_COPYABLE", `${typeName(type)} capabilities cannot be copied`);
  if ((s.flags(src) & FLAG_IN_DELETE) !== 0) return fail("CAP_LOCKED", "the source is being deleted");
  if (s.type(dst) !== T.Null) return fail("SLOT_OCCUPIED", "the destination slot is occupied");
  s.copyTo(src, dst);
  k.mdb.insert(dst);
  return OK;
}

/** Copies CTE `src` into `dst` with rights `src.rights & rights` and, for an EndPoint, `badge`. */
export function mint(
  k: CapKernel,
  src: number,
  dst: number,
  rights: number,
  badge: number,
): CapResult<undefined> {
  const s = k.s;
  const type = s.type(src);
  if (type === T.Null) return fail("CAP_NOT_FOUND", "the source slot is empty");
  if (!isRightsMask(rights)) return fail("INVALID_ARGUMENT", `rights must be a mask in 0..31, got ${rights}`);
  if (!isBadge(badge)) return fail("INVALID_ARGUMENT", `badge must be a u32, got ${badge}`);
  if (badge !== 0) {
    if (type !== T.EndPoint)
      return fail("CAP_TYPE", `only EndPoint capabilities carry a badge, not ${typeName(type)}`);
    const old = s.badge(src);
    // As in seL4: a badged endpoint keeps its badge, so a receiver can trust who sent.
    if (old !== 0 && old !== badge) return fail("INVALID_ARGUMENT", `the endpoint is already badged ${old}`);
  }
  if (TYPE_COPY[type] === COPY_NEVER)
    return fail("CAP_NOT_COPYABLE", `${typeName(type)} capabilities cannot be copied`);
  if ((s.flags(src) & FLAG_IN_DELETE) !== 0) return fail("CAP_LOCKED", "the source is being deleted");
  if (s.type(dst) !== T.Null) return fail("SLOT_OCCUPIED", "the destination slot is occupied");
  s.copyTo(src, dst);
  s.setRights(dst, s.rights(src) & rights);
  if (badge !== 0) s.setBadge(dst, badge);
  k.mdb.insert(dst);
  return OK;
}
