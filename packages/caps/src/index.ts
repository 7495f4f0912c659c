/**
 * @shoal/caps: the capability system of shoal's kernel, after Barrelfish's `caps.hl` (and seL4):
 * simulated physical memory, the capability type table, CSpaces of 64-byte CTEs in that memory,
 * the mapping database, the local operations and x86-64 page tables.
 */

/** The distributed operations (a namespace: its RetypeRequest message differs from ops/retype's). */
export * as capops from "./capops/index.js";
export * from "./cspace/address.js";
export { CteStore } from "./cspace/cte.js";
export * from "./cspace/cte-layout.js";
export type { CapErrorCode, CapFailure, CapResult, CapSuccess } from "./errors.js";
export { CapError, fail, isCapError, OK, ok, unwrap } from "./errors.js";
export * from "./kernel/boot.js";
export { CapKernel, type CapKernelOptions, KERNEL_CTES } from "./kernel/cap-kernel.js";
export { CSpace, type Translation } from "./kernel/cspace.js";
export * from "./kernel/queries.js";
export { Mdb } from "./mdb/mdb.js";
export { compareCtes, compareToKey } from "./mdb/order.js";
export { copy, mint } from "./ops/copy.js";
export { deleteCap, removeCte, revoke } from "./ops/delete.js";
export { type CapInfo, describe, identify } from "./ops/identify.js";
export { decodeRetype, invokeRetype, type MonitorOptions, type RetypeRequest, retype } from "./ops/retype.js";
export * from "./physmem/physical-memory.js";
export * from "./types/rights.js";
export * from "./types/rules.js";
export {
  CAP_TYPE_TABLE,
  type CapType,
  type CapTypeInfo,
  type CopyRule,
  type SizeRule,
} from "./types/table.js";
export { type MapRequest, map, mappingEntries, modifyFlags } from "./vnode/map.js";
export * from "./vnode/pte.js";
export { Tlb } from "./vnode/tlb.js";
export * from "./vnode/translate.js";
