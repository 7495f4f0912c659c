/**
 * A plain in-memory {@link CapStore} for the simulator: slots in an array, every query a scan.
 * It is the reference the real CSpace/MDB adapter is compared with, and it keeps protocol tests
 * independent of CTE layout details. Retype rules come from a small table of its own, the subset
 * the scenarios use (RAM, Frame, CNode), as caps.hl has them.
 */
import type { ErrorCode } from "../protocol.js";
import type { CapStore, KernelResult } from "../store.js";
import {
  type CapRep,
  type CoreId,
  type HeldCap,
  overlaps,
  type Relations,
  type RetypeArgs,
  type Slot,
  sameObject,
} from "../types.js";

const RETYPE_FROM: Readonly<Record<string, readonly string[]>> = {
  RAM: ["RAM", "Frame", "CNode"],
  Frame: ["Frame"],
  CNode: [],
};
const PAGE = 4096;

/** True if `to` may be made from `from`, directly or through intermediate types. */
export function reachable(from: string, to: string): boolean {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length > 0) {
    const t = todo.pop() as string;
    for (const n of RETYPE_FROM[t] ?? []) {
      if (n === to) return true;
      if (!seen.has(n)) {
        seen.add(n);
        todo.push(n);
      }
    }
  }
  return false;
}

/** True if `child` is derived from `parent` (inside its memory, of a type made from it; not a copy). */
export function derives(parent: CapRep, child: CapRep): boolean {
  if (sameObject(parent, child)) return false;
  if (child.base < parent.base || child.base + child.size > parent.base + parent.size) return false;
  return parent.type === child.type || reachable(parent.type, child.type);
}

interface Entry {
  rep: CapRep;
  owner: CoreId;
  relations: Relations;
}

/** One core's capabilities as an array of slots. */
export class ReferenceStore implements CapStore {
  private readonly slots: (Entry | undefined)[] = [];

  constructor(readonly core: CoreId) {}

  /** Every held capability (for invariant checks). */
  all(): HeldCap[] {
    const out: HeldCap[] = [];
    this.slots.forEach((e, slot) => {
      if (e) out.push({ slot, rep: e.rep, owner: e.owner, relations: e.relations });
    });
    return out;
  }

  lookup(slot: Slot): HeldCap | undefined {
    const e = this.slots[slot];
    return e ? { slot, rep: e.rep, owner: e.owner, relations: e.relations } : undefined;
  }

  copies(cap: CapRep): HeldCap[] {
    return this.all().filter((h) => sameObject(h.rep, cap));
  }

  descendants(cap: CapRep): HeldCap[] {
    return this.all().filter((h) => derives(cap, h.rep));
  }

  ancestors(cap: CapRep): HeldCap[] {
    return this.all().filter((h) => derives(h.rep, cap));
  }

  insert(cap: CapRep, owner: CoreId, relations: Relations): KernelResult<Slot> {
    let slot = this.slots.indexOf(undefined);
    if (slot < 0) slot = this.slots.length;
    this.slots[slot] = { rep: cap, owner, relations };
    return { ok: true, value: slot };
  }

  setOwner(cap: CapRep, owner: CoreId): void {
    for (const e of this.slots) if (e && sameObject(e.rep, cap)) e.owner = owner;
  }

  setRelations(cap: CapRep, set: Relations, clear: Relations): void {
    for (const e of this.slots) if (e && sameObject(e.rep, cap)) e.relations = (e.relations | set) & ~clear;
  }

  checkRetype(src: Slot, args: RetypeArgs): ErrorCode | null {
    const e = this.slots[src];
    if (!e) return "CAP_NOT_FOUND";
    if (!(RETYPE_FROM[e.rep.type] ?? []).includes(args.to)) return "RETYPE_INVALID";
    const { offset, objectSize, count } = args;
    if (objectSize <= 0 || objectSize % PAGE !== 0 || offset % PAGE !== 0) return "INVALID_SIZE";
    if (count < 1 || offset < 0 || offset + objectSize * count > e.rep.size) return "OUT_OF_RANGE";
    if (args.to === e.rep.type && objectSize === e.rep.size) return "INVALID_SIZE";
    const base = e.rep.base + offset;
    const clash = this.descendants(e.rep).some((d) =>
      overlaps(d.rep.base, d.rep.size, base, objectSize * count),
    );
    return clash ? "RETYPE_OVERLAP" : null;
  }

  retype(src: Slot, args: RetypeArgs): KernelResult<Slot[]> {
    const why = this.checkRetype(src, args);
    const e = this.slots[src];
    if (why || !e) return { ok: false, code: why ?? "CAP_NOT_FOUND" };
    const made: Slot[] = [];
    for (let i = 0; i < args.count; i++) {
      const rep: CapRep = {
        type: args.to,
        base: e.rep.base + args.offset + i * args.objectSize,
        size: args.objectSize,
        rights: e.rep.rights,
        badge: 0,
      };
      const r = this.insert(rep, this.core, 0);
      if (r.ok) made.push(r.value);
    }
    return { ok: true, value: made };
  }

  copy(src: Slot): KernelResult<Slot> {
    const e = this.slots[src];
    if (!e) return { ok: false, code: "CAP_NOT_FOUND" };
    return this.insert(e.rep, e.owner, e.relations);
  }

  remove(slot: Slot, _destroy: boolean): void {
    this.slots[slot] = undefined;
  }
}
