/**
 * Capability rights (Barrelfish `CAPRIGHTS_*`) and badges. Rights only ever shrink: mint takes the
 * intersection of the source's rights and the requested ones, and a mapping's page flags are bounded
 * by the rights of the frame it maps.
 */

/** Right to read the object (map it readable). */
export const RIGHT_READ = 1;
/** Right to write the object (map it writable). */
export const RIGHT_WRITE = 2;
/** Right to execute from the object (map it without NX). */
export const RIGHT_EXECUTE = 4;
/** Right to send the capability to another domain. */
export const RIGHT_GRANT = 8;
/** Right to identify the capability (learn its type, base and size). */
export const RIGHT_IDENTIFY = 16;
/** Every right (Barrelfish `CAPRIGHTS_ALLRIGHTS`). */
export const RIGHTS_ALL = 0x1f;
/** No right. */
export const RIGHTS_NONE = 0;

/** Named rights, for readable call sites: `Rights.Read | Rights.Write`. */
export const Rights = {
  Read: RIGHT_READ,
  Write: RIGHT_WRITE,
  Execute: RIGHT_EXECUTE,
  Grant: RIGHT_GRANT,
  Identify: RIGHT_IDENTIFY,
  All: RIGHTS_ALL,
  None: RIGHTS_NONE,
} as const;

/** A set of rights: an integer in 0..31. */
export type RightsMask = number;

/** True if `mask` is a valid rights set. */
export function isRightsMask(mask: number): boolean {
  return Number.isInteger(mask) && mask >= 0 && mask <= RIGHTS_ALL;
}

/** True if `have` includes every right in `need`. */
export function hasRights(have: RightsMask, need: RightsMask): boolean {
  return (have & need) === need;
}

/** The largest badge: badges are 32-bit words in the CTE (0 means "no badge"). */
export const MAX_BADGE = 0xffff_ffff;

/** True if `badge` fits a CTE's badge word. */
export function isBadge(badge: number): boolean {
  return Number.isInteger(badge) && badge >= 0 && badge <= MAX_BADGE;
}
