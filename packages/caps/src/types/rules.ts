/**
 * Rules derived from the type table: numeric ids (as stored in a CTE), canRetype, type roots, the
 * size rules of new objects, and per-type flags as small typed arrays for the kernel's hot paths.
 */
import { CAP_TYPE_TABLE, type CapType, type CapTypeInfo } from "./table.js";

/** Number of capability types. */
export const CAP_TYPE_COUNT = CAP_TYPE_TABLE.length;

const TABLE: readonly CapTypeInfo[] = CAP_TYPE_TABLE;
const ID_BY_NAME = new Map<string, number>(TABLE.map((row, i) => [row.name, i]));

/** Every type name, in table order. */
export const CAP_TYPES: readonly CapType[] = CAP_TYPE_TABLE.map((row) => row.name);

/** The numeric id of a type (its table index, as stored in a CTE). */
export function typeId(name: CapType): number {
  return ID_BY_NAME.get(name) as number;
}

/** The numeric id of a type name from untrusted input, or -1. */
export function typeIdOf(name: string): number {
  return ID_BY_NAME.get(name) ?? -1;
}

/** The name of a numeric type id (ids outside the table read as Null). */
export function typeName(id: number): CapType {
  return (CAP_TYPE_TABLE[id] ?? CAP_TYPE_TABLE[0]).name;
}

/** The table row of a type. */
export function typeInfo(name: CapType): CapTypeInfo {
  return TABLE[typeId(name)] as CapTypeInfo;
}

/** True if `name` is a capability type. */
export function isCapType(name: string): name is CapType {
  return ID_BY_NAME.has(name);
}

/** Numeric ids of the types the CSpace code names directly. */
export const T = {
  Null: typeId("Null"),
  PhysAddr: typeId("PhysAddr"),
  RAM: typeId("RAM"),
  DevFrame: typeId("DevFrame"),
  Frame: typeId("Frame"),
  CNode: typeId("CNode"),
  Dispatcher: typeId("Dispatcher"),
  EndPoint: typeId("EndPoint"),
  Pml4: typeId("VNode_x86_64_pml4"),
  Pdpt: typeId("VNode_x86_64_pdpt"),
  Pdir: typeId("VNode_x86_64_pdir"),
  Ptable: typeId("VNode_x86_64_ptable"),
  KernelControlBlock: typeId("KernelControlBlock"),
} as const;

/** RETYPE[from * COUNT + to] = 1 if `from` may be retyped into `to`. */
const RETYPE = new Uint8Array(CAP_TYPE_COUNT * CAP_TYPE_COUNT);
for (let to = 0; to < CAP_TYPE_COUNT; to++) {
  for (const from of (TABLE[to] as CapTypeInfo).from)
    RETYPE[(ID_BY_NAME.get(from) as number) * CAP_TYPE_COUNT + to] = 1;
}

/** True if a capability of type `from` may be retyped into objects of type `to` (mappings never). */
export function canRetype(from: CapType, to: CapType): boolean {
  return RETYPE[typeId(from) * CAP_TYPE_COUNT + typeId(to)] === 1;
}

/** {@link canRetype} on numeric ids. */
export function canRetypeId(from: number, to: number): boolean {
  return RETYPE[from * CAP_TYPE_COUNT + to] === 1;
}

/**
 * TYPE_ROOT[t]: the type at the root of t's derivation tree (Barrelfish `get_type_root`): the MDB
 * orders by it first, so that objects of unrelated trees (memory, IRQ vectors, I/O ports) whose
 * numbers coincide never compare as overlapping. A mapping's root is that of the type it maps.
 */
export const TYPE_ROOT = new Uint8Array(CAP_TYPE_COUNT);
for (let t = 0; t < CAP_TYPE_COUNT; t++) {
  let at = t;
  // Follow the first non-self parent until a type with none; the table is acyclic apart from from_self.
  for (;;) {
    const row = TABLE[at] as CapTypeInfo;
    const parent = row.maps ?? row.from.find((f) => f !== row.name);
    if (parent === undefined) break;
    at = ID_BY_NAME.get(parent) as number;
  }
  TYPE_ROOT[t] = at;
}

/** Copy rule codes: 0 normal, 1 always, 2 never. */
export const COPY_NORMAL = 0;
/** Every capability of the type is a copy of every other. */
export const COPY_ALWAYS = 1;
/** The type cannot be copied. */
export const COPY_NEVER = 2;
/** TYPE_COPY[t]: the copy rule of t. */
export const TYPE_COPY = Uint8Array.from(TABLE, (row) =>
  row.copy === "always" ? COPY_ALWAYS : row.copy === "never" ? COPY_NEVER : COPY_NORMAL,
);
/** TYPE_IS_MAPPING[t]: 1 for the _Mapping types. */
export const TYPE_IS_MAPPING = Uint8Array.from(TABLE, (row) => (row.maps === undefined ? 0 : 1));
/** TYPE_VNODE_LEVEL[t]: 4..1 for VNodes, 0 otherwise. */
export const TYPE_VNODE_LEVEL = Uint8Array.from(TABLE, (row) => row.vnodeLevel ?? 0);
/** TYPE_MAPPING[t]: the mapping type made when t is mapped, or 0 (Null) if t cannot be mapped. */
export const TYPE_MAPPING = Uint8Array.from(TABLE, (row) =>
  row.mapping === undefined ? 0 : (ID_BY_NAME.get(row.mapping) as number),
);
/** TYPE_MEMORY[t]: 1 if t's base and size are physical memory. */
export const TYPE_MEMORY = Uint8Array.from(TABLE, (row) => (row.memory ? 1 : 0));
/** TYPE_SENDABLE[t]: 1 if t may be sent to another core. */
export const TYPE_SENDABLE = Uint8Array.from(TABLE, (row) => (row.sendable ? 1 : 0));

/** True if a capability of this type may be sent to another core. */
export function isSendable(name: CapType): boolean {
  return TYPE_SENDABLE[typeId(name)] === 1;
}

/** True if two capabilities of this type and these ranges name the same object (caps.hl is_copy). */
export function isCopyKey(
  type: number,
  baseA: number,
  sizeA: number,
  typeB: number,
  baseB: number,
  sizeB: number,
) {
  if (type !== typeB) return false;
  if (TYPE_COPY[type] === COPY_ALWAYS) return true;
  return baseA === baseB && sizeA === sizeB;
}

/** The size of a new object of type `to` requested as `objSize`: a message if it is not allowed, else null. */
export function checkObjectSize(to: number, objSize: number): string | null {
  const row = TABLE[to] as CapTypeInfo;
  const rule = row.size;
  switch (rule.kind) {
    case "none":
      return objSize === 0 ? null : `${row.name} objects have no size; objSize must be 0, got ${objSize}`;
    case "fixed":
      return objSize === rule.bytes ? null : `${row.name} objects are ${rule.bytes} bytes, got ${objSize}`;
    case "multiple":
      return objSize > 0 && objSize % rule.unit === 0
        ? null
        : `${row.name} objects are a positive multiple of ${rule.unit} bytes, got ${objSize}`;
    case "range":
      return objSize > 0 ? null : `${row.name} objects cover at least 1, got ${objSize}`;
    case "mapping":
      return `${row.name} is made by mapping, never by retype`;
  }
}

/** Alignment of a new object's offset inside its source: the base page, or the object size when smaller. */
export function objectAlignment(to: number): number {
  const rule = (TABLE[to] as CapTypeInfo).size;
  if (rule.kind === "range" || rule.kind === "none") return 1;
  if (rule.kind === "fixed") return Math.min(rule.bytes, 4096);
  return 4096;
}
