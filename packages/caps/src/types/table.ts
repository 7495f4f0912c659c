/**
 * The capability type table, as data: Barrelfish's `capabilities/caps.hl` transcribed for shoal.
 * Everything else (canRetype, type roots, MDB order, size checks, copy rules) is derived from it in
 * `rules.ts`; no other file decides by type name.
 *
 * Row order matters: a row's index is its numeric type (stored in the CTE) and, for two objects with
 * the same range, the MDB orders the ancestor first, so every type comes after the types it is
 * retyped from.
 */

/** How an object's size is constrained. */
export type SizeRule =
  /** No memory: the object is a token (Kernel, IPI, IRQTable, Null). Size 0. */
  | { readonly kind: "none" }
  /** Exactly `bytes` (CNode slots of an L2, a dispatcher control block, a page table, a KCB). */
  | { readonly kind: "fixed"; readonly bytes: number }
  /** A positive multiple of `unit` bytes (memory regions, CNodes of any number of 256-slot blocks). */
  | { readonly kind: "multiple"; readonly unit: number }
  /** A range of names rather than bytes (IRQ vectors, I/O ports, ids): any positive count. */
  | { readonly kind: "range" }
  /** A mapping: size 1 at the mapped object's base (caps.hl `objsize_mapping`: a zero size breaks range queries). */
  | { readonly kind: "mapping" };

/** How copies of a type behave (caps.hl `is_always_copy` / `is_never_copy`). */
export type CopyRule =
  /** Copies share type, base and size. */
  | "normal"
  /** Every capability of the type is a copy of every other (one kernel-wide object). */
  | "always"
  /** The type cannot be copied (Null; in shoal also mappings, which name one page-table entry range). */
  | "never";

/** One row of the type table. */
export interface CapTypeInfo {
  /** The caps.hl name. */
  readonly name: string;
  /** Types this one may be retyped from (caps.hl `from`), `from_self` included as its own name. */
  readonly from: readonly string[];
  /** The size rule of new objects. */
  readonly size: SizeRule;
  /** Copy semantics. */
  readonly copy: CopyRule;
  /** True if the object occupies physical memory (addresses are physical; retype zeroes from RAM). */
  readonly memory: boolean;
  /** The mapping type created when this object is mapped into a VNode, if it can be mapped. */
  readonly mapping?: string;
  /** For a mapping type: the type it maps. */
  readonly maps?: string;
  /** For a VNode: its page-table level (4 = PML4 ... 1 = page table). */
  readonly vnodeLevel?: number;
  /** May travel to another core (the monitor refuses to send the others). */
  readonly sendable: boolean;
  /** May be retyped several times over the same range (caps.hl `can_retype_multiple`). */
  readonly retypeMultiple?: boolean;
}

const PAGE = 4096;
const L2_CNODE_BYTES = 16384;

/** A VNode row: a 4 KiB x86-64 page table retyped from RAM. */
function vnode<N extends string>(name: N, level: number) {
  return {
    name,
    from: ["RAM"],
    size: { kind: "fixed", bytes: PAGE },
    copy: "normal",
    memory: true,
    mapping: `${name}_Mapping`,
    vnodeLevel: level,
    sendable: true,
  } as const;
}

/** A mapping row: made by mapping `maps` into a VNode, never by retype, never copied or sent. */
function mappingOf<M extends string>(maps: M) {
  return {
    name: `${maps}_Mapping` as `${M}_Mapping`,
    from: [],
    size: { kind: "mapping" },
    copy: "never",
    memory: true,
    maps,
    sendable: false,
  } as const;
}

/** The table. Index = numeric type. */
export const CAP_TYPE_TABLE = [
  { name: "Null", from: [], size: { kind: "none" }, copy: "never", memory: false, sendable: false },
  {
    name: "PhysAddr",
    from: ["PhysAddr"],
    size: { kind: "multiple", unit: PAGE },
    copy: "normal",
    memory: true,
    sendable: true,
  },
  {
    name: "RAM",
    from: ["PhysAddr", "RAM"],
    size: { kind: "multiple", unit: PAGE },
    copy: "normal",
    memory: true,
    sendable: true,
  },
  {
    name: "DevFrame",
    from: ["PhysAddr", "DevFrame"],
    size: { kind: "multiple", unit: PAGE },
    copy: "normal",
    memory: true,
    mapping: "DevFrame_Mapping",
    sendable: true,
  },
  {
    name: "Frame",
    from: ["RAM", "Frame"],
    size: { kind: "multiple", unit: PAGE },
    copy: "normal",
    memory: true,
    mapping: "Frame_Mapping",
    sendable: true,
  },
  {
    name: "CNode",
    from: ["RAM"],
    size: { kind: "multiple", unit: L2_CNODE_BYTES },
    copy: "normal",
    memory: true,
    sendable: true,
  },
  {
    name: "Dispatcher",
    from: ["RAM"],
    size: { kind: "fixed", bytes: 1024 },
    copy: "normal",
    memory: true,
    sendable: true,
    retypeMultiple: true,
  },
  {
    name: "EndPoint",
    from: ["Dispatcher"],
    size: { kind: "fixed", bytes: 1024 },
    copy: "normal",
    memory: true,
    sendable: true,
  },
  vnode("VNode_x86_64_pml4", 4),
  vnode("VNode_x86_64_pdpt", 3),
  vnode("VNode_x86_64_pdir", 2),
  vnode("VNode_x86_64_ptable", 1),
  {
    name: "KernelControlBlock",
    from: ["RAM"],
    size: { kind: "fixed", bytes: 131072 },
    copy: "normal",
    memory: true,
    sendable: true,
  },
  mappingOf("Frame"),
  mappingOf("DevFrame"),
  mappingOf("VNode_x86_64_pml4"),
  mappingOf("VNode_x86_64_pdpt"),
  mappingOf("VNode_x86_64_pdir"),
  mappingOf("VNode_x86_64_ptable"),
  { name: "IRQTable", from: [], size: { kind: "none" }, copy: "always", memory: false, sendable: true },
  { name: "IRQDest", from: [], size: { kind: "range" }, copy: "normal", memory: false, sendable: true },
  {
    name: "IRQSrc",
    from: ["IRQSrc"],
    size: { kind: "range" },
    copy: "normal",
    memory: false,
    sendable: true,
  },
  { name: "IO", from: ["IO"], size: { kind: "range" }, copy: "normal", memory: false, sendable: true },
  { name: "ID", from: [], size: { kind: "range" }, copy: "normal", memory: false, sendable: true },
  { name: "Kernel", from: [], size: { kind: "none" }, copy: "always", memory: false, sendable: false },
  { name: "IPI", from: [], size: { kind: "none" }, copy: "always", memory: false, sendable: true },
] as const satisfies readonly CapTypeInfo[];

/** A capability type, by its caps.hl name. */
export type CapType = (typeof CAP_TYPE_TABLE)[number]["name"];
