/**
 * CSpace addresses. A capability reference is a number, never a pointer or bytes: it is resolved
 * through the caller's root CNode on every use, so it cannot be forged.
 *
 * - `l1 << 8 | l2` (a u32) names slot `l2` of the L2 CNode held in slot `l1` of the root CNode.
 * - `ROOT_SLOT_BASE + i` names slot `i` of the root CNode itself (Barrelfish's level-1 addressing),
 *   where L2 CNodes are installed.
 */
import { L2_SLOTS } from "./cte-layout.js";

/** A CSpace address. */
export type CapAddr = number;

/** Root-slot addresses start here (above every u32 two-level address). */
export const ROOT_SLOT_BASE = 2 ** 32;

/** The address of slot `l2` in the L2 CNode at root slot `l1`. */
export function capAddr(l1: number, l2: number): CapAddr {
  return l1 * L2_SLOTS + l2;
}

/** The address of slot `i` of the root CNode. */
export function rootSlot(i: number): CapAddr {
  return ROOT_SLOT_BASE + i;
}

/** True if `addr` is a well-formed CSpace address (either form). */
export function isCapAddr(addr: number): boolean {
  return Number.isSafeInteger(addr) && addr >= 0 && addr < ROOT_SLOT_BASE * 2;
}

/** Readable form: `3.17` for a two-level address, `root.5` for a root slot. */
export function formatCapAddr(addr: CapAddr): string {
  if (addr >= ROOT_SLOT_BASE) return `root.${addr - ROOT_SLOT_BASE}`;
  return `${Math.floor(addr / L2_SLOTS)}.${addr % L2_SLOTS}`;
}
