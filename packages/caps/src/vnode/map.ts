/**
 * Map, unmap and modify flags (Barrelfish `vnode_map`, mapping caps): a Frame, DevFrame or lower
 * VNode into a slot range of a VNode, recorded by a Mapping cap that is the object's descendant in
 * the MDB (base = the object's base, size 1). Deleting the mapping cap clears the entries.
 *
 * What goes where:
 * - PML4 ← PDPT, PDPT ← page directory, page directory ← page table (one entry each);
 * - page directory ← Frame/DevFrame as 2 MiB pages; page table ← Frame/DevFrame as 4 KiB pages.
 *
 * A mapping's page flags never exceed the mapped cap's rights: write needs WRITE, execute needs
 * EXECUTE, any mapping needs READ; the rights are recorded in the mapping cap so that a later
 * modify-flags is bounded the same way.
 */

import { W_AUX0, W_AUX1, W_AUX2, W_AUX3, W_AUX4 } from "../cspace/cte-layout.js";
import { type CapResult, fail, OK } from "../errors.js";
import type { CapKernel } from "../kernel/cap-kernel.js";
import { BASE_PAGE_SIZE, LARGE_PAGE_SIZE } from "../physmem/physical-memory.js";
import { hasRights, RIGHT_EXECUTE, RIGHT_READ, RIGHT_WRITE } from "../types/rights.js";
import { T, TYPE_IS_MAPPING, TYPE_MAPPING, TYPE_VNODE_LEVEL, typeName } from "../types/rules.js";
import {
  encodeMapFlags,
  MAPF_EXECUTE,
  MAPF_WRITE,
  type MapFlags,
  PT_ENTRIES,
  PTE_HI_ADDR,
  PTE_LO_ADDR,
  PTE_PRESENT,
  PTE_PS,
  TWO_32,
  writeLeaf,
  writeTable,
} from "./pte.js";

/** A map request: `count` pages (or one table) of the source, from `offset`, into `slot..`. */
export interface MapRequest {
  /** First entry of the VNode to fill (0..511). */
  readonly slot: number;
  /** Byte offset into the source (a multiple of the page size); 0 for a VNode. */
  readonly offset: number;
  /** Number of entries (pages) to fill; 1 for a VNode. */
  readonly count: number;
  /** Page flags (ignored for a VNode: intermediate entries are permissive). */
  readonly flags: MapFlags;
}

/** Maps CTE `src` into CTE `vnode` and records the mapping cap in the empty CTE `dst`. */
export function map(
  k: CapKernel,
  vnode: number,
  src: number,
  req: MapRequest,
  dst: number,
): CapResult<undefined> {
  const s = k.s;
  const vt = s.type(vnode);
  const st = s.type(src);
  if (vt === T.Null || st === T.Null) return fail("CAP_NOT_FOUND", "the VNode or the source slot is empty");
  const level = TYPE_VNODE_LEVEL[vt] as number;
  if (level === 0) return fail("CAP_TYPE", `${typeName(vt)} is not a VNode`);
  if (!hasRights(s.rights(vnode), RIGHT_WRITE))
    return fail("CAP_RIGHTS", "mapping into a VNode needs WRITE on it");
  const { slot, offset, count } = req;
  if (![slot, offset, count].every((n) => Number.isSafeInteger(n) && n >= 0) || count === 0) {
    return fail(
      "INVALID_ARGUMENT",
      "slot, offset and count must be non-negative safe integers, count at least 1",
    );
  }
  const srcLevel = TYPE_VNODE_LEVEL[st] as number;
  const isFrame = st === T.Frame || st === T.DevFrame;
  let page = 0;
  if (srcLevel !== 0) {
    if (srcLevel !== level - 1) return fail("MAP_TYPE", `${typeName(st)} does not map into ${typeName(vt)}`);
    if (count !== 1 || offset !== 0) return fail("INVALID_ARGUMENT", "a VNode maps whole, into one entry");
  } else if (isFrame && (level === 1 || level === 2)) {
    page = level === 1 ? BASE_PAGE_SIZE : LARGE_PAGE_SIZE;
  } else {
    return fail("MAP_TYPE", `${typeName(st)} does not map into ${typeName(vt)}`);
  }
  if (slot + count > PT_ENTRIES)
    return fail("OUT_OF_RANGE", `entries ${slot}..${slot + count - 1} exceed 511`);
  const flags = srcLevel !== 0 ? 0 : encodeMapFlags(req.flags);
  if (page !== 0) {
    if (offset % page !== 0) return fail("INVALID_ARGUMENT", `offset ${offset} is not a multiple of ${page}`);
    if (offset + count * page > s.size(src)) {
      return fail(
        "OUT_OF_RANGE",
        `${count} pages of ${page} from offset ${offset} exceed the frame's ${s.size(src)}`,
      );
    }
    if ((s.base(src) + offset) % page !== 0)
      return fail("INVALID_ARGUMENT", "a large page must be 2 MiB-aligned");
    const rights = s.rights(src);
    if (!hasRights(rights, RIGHT_READ)) return fail("CAP_RIGHTS", "mapping needs READ on the frame");
    if ((flags & MAPF_WRITE) !== 0 && !hasRights(rights, RIGHT_WRITE))
      return fail("CAP_RIGHTS", "writable needs WRITE");
    if ((flags & MAPF_EXECUTE) !== 0 && !hasRights(rights, RIGHT_EXECUTE)) {
      return fail("CAP_RIGHTS", "executable needs EXECUTE");
    }
  }
  const u32 = k.mem.u32;
  const table = s.base(vnode) / 4;
  for (let i = 0; i < count; i++) {
    if (((u32[table + (slot + i) * 2] as number) & PTE_PRESENT) !== 0) {
      return fail("VNODE_SLOT_IN_USE", `entry ${slot + i} is already mapped`);
    }
  }
  if (s.type(dst) !== T.Null) return fail("SLOT_OCCUPIED", "the mapping cap's slot is occupied");

  // Invoke.
  const phys = s.base(src) + offset;
  for (let i = 0; i < count; i++) {
    const at = table + (slot + i) * 2;
    if (page === 0) writeTable(u32, at, phys);
    else writeLeaf(u32, at, phys + i * page, flags, page === LARGE_PAGE_SIZE);
  }
  s.write(dst, TYPE_MAPPING[st] as number, s.base(src), 1, s.rights(src), 0, k.core);
  s.setWord(dst, W_AUX0, s.base(vnode) / BASE_PAGE_SIZE);
  s.setWord(dst, W_AUX1, slot | (count << 16));
  s.setWord(dst, W_AUX2, offset / BASE_PAGE_SIZE);
  s.setWord(dst, W_AUX3, s.rights(src) | (flags << 8));
  s.setWord(dst, W_AUX4, s.size(src) / BASE_PAGE_SIZE);
  k.mdb.insert(dst);
  const key = s.base(vnode) / BASE_PAGE_SIZE;
  let entries = k.tableMappings.get(key);
  if (entries === undefined) {
    entries = new Uint32Array(PT_ENTRIES);
    k.tableMappings.set(key, entries);
  }
  entries[slot] = dst + 1;
  return OK;
}

/** Changes the page flags of every entry of a Frame/DevFrame mapping, within the rights recorded at map time. */
export function modifyFlags(k: CapKernel, mapping: number, flags: MapFlags): CapResult<undefined> {
  const s = k.s;
  const mt = s.type(mapping);
  if (mt === T.Null) return fail("CAP_NOT_FOUND", "the slot is empty");
  if (mt !== TYPE_MAPPING[T.Frame] && mt !== TYPE_MAPPING[T.DevFrame]) {
    return fail("CAP_TYPE", `${typeName(mt)} is not a frame mapping`);
  }
  const bits = encodeMapFlags(flags);
  const rights = s.word(mapping, W_AUX3) & 0xff;
  if ((bits & MAPF_WRITE) !== 0 && !hasRights(rights, RIGHT_WRITE))
    return fail("CAP_RIGHTS", "writable needs WRITE");
  if ((bits & MAPF_EXECUTE) !== 0 && !hasRights(rights, RIGHT_EXECUTE))
    return fail("CAP_RIGHTS", "executable needs EXECUTE");
  const u32 = k.mem.u32;
  const { table, first, count } = mappingEntries(k, mapping);
  for (let i = 0; i < count; i++) {
    const at = table + (first + i) * 2;
    const lo = u32[at] as number;
    const large = (lo & PTE_PS) !== 0;
    const phys = ((lo & PTE_LO_ADDR) >>> 0) + ((u32[at + 1] as number) & PTE_HI_ADDR) * TWO_32;
    writeLeaf(u32, at, phys, bits, large);
  }
  s.setWord(mapping, W_AUX3, rights | (bits << 8));
  k.flushTlbs();
  return OK;
}

/** The page-table entries a mapping cap covers: u32 index of the table, first entry, count. */
export function mappingEntries(
  k: CapKernel,
  mapping: number,
): { table: number; first: number; count: number } {
  const s = k.s;
  const slots = s.word(mapping, W_AUX1);
  return {
    table: (s.word(mapping, W_AUX0) * BASE_PAGE_SIZE) / 4,
    first: slots & 0xffff,
    count: slots >>> 16,
  };
}

/** Clears the entries of mapping cap `m` (being deleted) and forgets it in its table's side table. */
export function clearMapping(k: CapKernel, m: number): void {
  if (TYPE_IS_MAPPING[k.s.type(m)] !== 1) return;
  const { table, first, count } = mappingEntries(k, m);
  k.mem.u32.fill(0, table + first * 2, table + (first + count) * 2);
  k.flushTlbs();
  const entries = k.tableMappings.get(k.s.word(m, W_AUX0));
  if (entries !== undefined && entries[first] === m + 1) entries[first] = 0;
}
