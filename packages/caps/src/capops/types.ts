/**
 * The vocabulary of the distributed capability operations: who a core is, how an operation is named,
 * and how a capability travels between cores (its representation, never a slot address: a CSpace
 * address means nothing on another core).
 */

/** A core's number, 0-based, as the monitors and the SKB use it. */
export type CoreId = number;

/**
 * An operation's id: the core that started it and a sequence number of that core, so that ids are
 * unique without coordination and a reply names its operation (Barrelfish sends a raw pointer,
 * `capop_st`, which a peer can forge and which is stale once freed).
 */
export type OpId = `${number}:${number}`;

/** Builds an operation id. */
export function opId(origin: CoreId, seq: number): OpId {
  return `${origin}:${seq}`;
}

/** The core that started an operation. */
export function opOrigin(id: OpId): CoreId {
  return Number(id.slice(0, id.indexOf(":")));
}

/** A slot of a core's CSpace (its CSpace address). Only meaningful on that core. */
export type Slot = number;

/**
 * A capability as it travels between cores (Barrelfish's `caprep`): the object it names and what
 * the holder may do with it. Copies of one object have the same type, base and size (its key);
 * rights and badge may differ between copies (mint).
 */
export interface CapRep {
  readonly type: string;
  readonly base: number;
  readonly size: number;
  readonly rights: number;
  readonly badge: number;
}

/** Remote-relation bits kept in each CTE (Barrelfish's RRELS_COPY/ANCS/DESC). */
export const Rel = {
  /** Other cores may hold copies of this object. */
  Copies: 1,
  /** Other cores may hold objects derived from this one. */
  Descendants: 2,
  /** Other cores may hold objects this one is derived from. */
  Ancestors: 4,
} as const;

/** A set of {@link Rel} bits. */
export type Relations = number;

/** A capability held in one slot of one core, with the distributed bookkeeping of its CTE. */
export interface HeldCap {
  readonly slot: Slot;
  readonly rep: CapRep;
  /** The core that owns the object: it orders every distributed operation on it. */
  readonly owner: CoreId;
  readonly relations: Relations;
}

/** The key that identifies an object across cores: copies share it. */
export function capKey(rep: Pick<CapRep, "type" | "base" | "size">): string {
  return `${rep.type}@${rep.base}+${rep.size}`;
}

/** True if `a` and `b` name the same object (are copies of each other). */
export function sameObject(
  a: Pick<CapRep, "type" | "base" | "size">,
  b: Pick<CapRep, "type" | "base" | "size">,
) {
  return a.type === b.type && a.base === b.base && a.size === b.size;
}

/** Arguments of a retype, as the CPU driver's invocation takes them (decoded, not yet checked). */
export interface RetypeArgs {
  /** The type of the new objects. */
  readonly to: string;
  /** Byte offset of the first new object inside the source. */
  readonly offset: number;
  /** Size in bytes of each new object. */
  readonly objectSize: number;
  /** How many objects. */
  readonly count: number;
}

/** The region of the source's memory a retype covers. */
export function retypeRegion(src: CapRep, args: RetypeArgs): { base: number; size: number } {
  return { base: src.base + args.offset, size: args.objectSize * args.count };
}

/** True if [a, a+as) and [b, b+bs) share a byte. */
export function overlaps(a: number, as: number, b: number, bs: number): boolean {
  return a < b + bs && b < a + as;
}
