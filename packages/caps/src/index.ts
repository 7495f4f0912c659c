/**
 * @shoal/caps: the capability system of shoal's kernel, after Barrelfish's `caps.hl` (and seL4):
 * simulated physical memory, the capability type table, CSpaces of 64-byte CTEs in that memory,
 * the mapping database, the local operations and x86-64 page tables.
 */
export type { CapErrorCode, CapFailure, CapResult, CapSuccess } from "./errors.js";
export { CapError, fail, isCapError, OK, ok, unwrap } from "./errors.js";
