/**
 * The {@link CapStore} port over one core's real capability kernel: CTEs in its physical memory,
 * its mapping database, the package's retype/copy/delete. This is what the monitor will use; the
 * simulator gives every simulated core its own kernel and store, as real cores have.
 *
 * Slots are CTE numbers. Capabilities that arrive from other cores, and the results of the
 * monitor's retypes and copies, go into a pool of CTEs the store is given (the monitor's own
 * CNode); a slot is free when its CTE reads Null, so the kernel's own cleanup (a CNode's slots
 * deleted with it) needs no bookkeeping here.
 */
import { FLAG_REMOTE_MASK } from "../cspace/cte-layout.js";
import type { CapKernel } from "../kernel/cap-kernel.js";
import { compareToKey } from "../mdb/order.js";
import { copy as copyCte } from "../ops/copy.js";
import { removeCte } from "../ops/delete.js";
import { decodeRetype, retype as retypeCte } from "../ops/retype.js";
import { isCopyKey, T, TYPE_ROOT, typeIdOf, typeName } from "../types/rules.js";
import type { ErrorCode } from "./protocol.js";
import type { CapStore, KernelResult } from "./store.js";
import type { CapRep, CoreId, HeldCap, Relations, RetypeArgs, Slot } from "./types.js";

/** The pool of CTEs the monitor may fill: `count` consecutive CTEs from CTE number `first`. */
export interface SlotPool {
  readonly first: number;
  readonly count: number;
}

/** One core's capabilities through its kernel. */
export class KernelStore implements CapStore {
  constructor(
    readonly kernel: CapKernel,
    private readonly pool: SlotPool,
  ) {}

  /** Every capability on this core, in MDB order. */
  all(): HeldCap[] {
    return this.kernel.mdb.toArray().map((c) => this.held(c));
  }

  private held(c: number): HeldCap {
    const s = this.kernel.s;
    const rep: CapRep = {
      type: typeName(s.type(c)),
      base: s.base(c),
      size: s.size(c),
      rights: s.rights(c),
      badge: s.badge(c),
    };
    return { slot: c, rep, owner: s.owner(c), relations: s.flags(c) & FLAG_REMOTE_MASK };
  }

  lookup(slot: Slot): HeldCap | undefined {
    if (!Number.isInteger(slot) || slot < 0 || slot * 64 >= this.kernel.mem.size) return undefined;
    return this.kernel.s.type(slot) === T.Null ? undefined : this.held(slot);
  }

  /** CTEs of the same type root overlapping the object's memory that `keep` accepts. */
  private around(cap: CapRep, keep: (c: number, type: number) => boolean): number[] {
    const type = typeIdOf(cap.type);
    if (type < 0) return [];
    const out: number[] = [];
    // A zero-size object (a token) overlaps nothing by range: look at [base, base + 1).
    const end = cap.base + Math.max(cap.size, 1);
    this.kernel.mdb.overlapping(TYPE_ROOT[type] as number, cap.base, end, (c) => {
      if (keep(c, type)) out.push(c);
      return true;
    });
    return out;
  }

  copies(cap: CapRep): HeldCap[] {
    const s = this.kernel.s;
    return this.around(cap, (c, t) => isCopyKey(t, cap.base, cap.size, s.type(c), s.base(c), s.size(c))).map(
      (c) => this.held(c),
    );
  }

  descendants(cap: CapRep): HeldCap[] {
    const s = this.kernel.s;
    const end = cap.base + cap.size;
    return this.around(
      cap,
      (c, t) =>
        compareToKey(s, c, TYPE_ROOT[t] as number, cap.base, cap.size, t, Number.POSITIVE_INFINITY) > 0 &&
        s.end(c) <= end,
    ).map((c) => this.held(c));
  }

  ancestors(cap: CapRep): HeldCap[] {
    const s = this.kernel.s;
    const end = cap.base + cap.size;
    return this.around(
      cap,
      (c, t) =>
        compareToKey(s, c, TYPE_ROOT[t] as number, cap.base, cap.size, t, Number.NEGATIVE_INFINITY) < 0 &&
        s.base(c) <= cap.base &&
        s.end(c) >= end,
    ).map((c) => this.held(c));
  }

  /** The first run of `count` free CTEs in the pool, or -1. */
  private freeRun(count: number): number {
    const s = this.kernel.s;
    let run = 0;
    for (let i = 0; i < this.pool.count; i++) {
      const c = this.pool.first + i;
      run = s.type(c) === T.Null ? run + 1 : 0;
      if (run === count) return c - count + 1;
    }
    return -1;
  }

  insert(cap: CapRep, owner: CoreId, relations: Relations): KernelResult<Slot> {
    const type = typeIdOf(cap.type);
    if (type <= 0) return { ok: false, code: "CAP_TYPE" };
    const c = this.freeRun(1);
    if (c < 0) return { ok: false, code: "NO_MEMORY" };
    const s = this.kernel.s;
    s.write(c, type, cap.base, cap.size, cap.rights, cap.badge, owner);
    s.setFlags(c, relations & FLAG_REMOTE_MASK);
    this.kernel.mdb.insert(c);
    return { ok: true, value: c };
  }

  setOwner(cap: CapRep, owner: CoreId): void {
    for (const h of this.copies(cap)) this.kernel.s.setOwner(h.slot, owner);
  }

  setRelations(cap: CapRep, set: Relations, clear: Relations): void {
    const s = this.kernel.s;
    for (const h of this.copies(cap))
      s.setFlags(h.slot, (s.flags(h.slot) | (set & FLAG_REMOTE_MASK)) & ~clear);
  }

  checkRetype(src: Slot, args: RetypeArgs): ErrorCode | null {
    const dest = this.freeRun(Math.max(1, args.count));
    if (dest < 0) return "NO_MEMORY";
    const r = decodeRetype(this.kernel, src, request(args), dest, { fromMonitor: true });
    return typeof r === "number" ? null : r.code;
  }

  retype(src: Slot, args: RetypeArgs): KernelResult<Slot[]> {
    const dest = this.freeRun(Math.max(1, args.count));
    if (dest < 0) return { ok: false, code: "NO_MEMORY" };
    const r = retypeCte(this.kernel, src, request(args), dest, { fromMonitor: true });
    if (!r.ok) return { ok: false, code: r.code };
    return { ok: true, value: Array.from({ length: args.count }, (_, i) => dest + i) };
  }

  copy(src: Slot): KernelResult<Slot> {
    const dst = this.freeRun(1);
    if (dst < 0) return { ok: false, code: "NO_MEMORY" };
    const r = copyCte(this.kernel, src, dst);
    return r.ok ? { ok: true, value: dst } : { ok: false, code: r.code };
  }

  remove(slot: Slot, destroy: boolean): void {
    if (this.lookup(slot) === undefined) return;
    if (destroy) {
      removeCte(this.kernel, slot);
      return;
    }
    // The object lives on at another core: only this CTE goes, nothing it holds or maps.
    this.kernel.mdb.remove(slot);
    this.kernel.s.clear(slot);
  }
}

function request(args: RetypeArgs) {
  return { type: args.to, offset: args.offset, objSize: args.objectSize, count: args.count };
}
