/**
 * The system-call surface of one dispatcher: capability invocations by reference into its own CSpace.
 * A reference is a CapRef this CPU driver issued to this dispatcher (anything else, a number or a
 * CapRef of another domain, is FORGED_CAP); each call resolves it to its slot and lets `@shoal/caps`
 * check the type and rights before acting. Failures are thrown typed (CapError with the caps code,
 * KernelError for forged references and page faults); nothing a domain passes crashes the core.
 */
import {
  type CapAddr,
  CapError,
  type CapInfo,
  type CapKernel,
  type CapRecord,
  copy,
  FLAG_REMOTE_COPIES,
  FLAG_REMOTE_DESCS,
  FLAG_REMOTE_MASK,
  formatCapAddr,
  insertCap,
  isSendable,
  RIGHT_GRANT,
  setFlags,
  type Tlb,
  typeName,
  unwrap,
} from "@shoal/caps";
import { CapRef } from "@shoal/runtime";
import type { CoreCaps } from "../caps/core-caps.js";
import type { TransferRecord } from "../caps/distributed.js";
import { DOMAIN_SLOTS, DomainCaps } from "../caps/domain-caps.js";
import { KernelError } from "../errors.js";
import type { FutexHooks } from "../vspace/futex.js";
import { MappedMemory } from "../vspace/mapped-memory.js";
import { type Mapping, VSpace } from "../vspace/vspace.js";

/** One row of a CSpace listing (`caps ID`). */
export interface CapRow {
  readonly slot: string;
  readonly type: string;
  readonly base: number;
  readonly size: number;
  readonly rights: number;
  /** The core that owns the object (orders its distributed operations). */
  readonly owner: number;
  /** Remote-relation bits (1: copies on other cores, 2: descendants, 4: ancestors). */
  readonly relations: number;
}

/** Every reference a core issued, to the dispatcher it belongs to and its slot. */
const issued = new WeakMap<object, { readonly owner: Syscalls; readonly addr: CapAddr }>();

/** The CSpace a reference was issued for, or undefined for anything not issued by a CPU driver. */
export function issuerOf(ref: unknown): Syscalls | undefined {
  return typeof ref === "object" && ref !== null ? issued.get(ref)?.owner : undefined;
}

/** The kernel interface of one dispatcher. */
export class Syscalls {
  readonly caps: DomainCaps;
  readonly vspace: VSpace;
  readonly #core: CoreCaps;
  readonly #tlb: Tlb;
  readonly #onFault: (e: KernelError) => void;
  readonly #maps = new WeakMap<MappedMemory, Mapping>();
  readonly #futex: FutexHooks | undefined;
  /** Mappings by address: a spanning domain names them by vaddr across its cores. */
  readonly #byVaddr = new Map<number, { readonly mem: MappedMemory; mapping: Mapping }>();

  constructor(core: CoreCaps, tlb: Tlb, onFault: (e: KernelError) => void, futex?: FutexHooks) {
    this.#core = core;
    this.#tlb = tlb;
    this.#onFault = onFault;
    this.#futex = futex;
    this.caps = new DomainCaps(core);
    this.vspace = new VSpace(this.caps);
  }

  get #k(): CapKernel {
    return this.#core.kernel;
  }

  /** The slot a reference names; FORGED_CAP unless this CPU driver issued it to this dispatcher. */
  slotOf(ref: unknown): CapAddr {
    const at = typeof ref === "object" && ref !== null ? issued.get(ref) : undefined;
    if (at === undefined || at.owner !== this)
      throw new KernelError(
        "FORGED_CAP",
        `${describeRef(ref)} is not a capability of this domain (only references the OS handed it are)`,
      );
    return at.addr;
  }

  /** A new reference to slot `addr` of this dispatcher's CSpace. */
  refOf(addr: CapAddr): CapRef {
    const c = this.caps.cspace.lookup(addr);
    const what = typeof c === "number" ? typeName(this.#k.s.type(c)) : "empty";
    const ref = new CapRef(`${what} cap at ${formatCapAddr(addr)}`, addr);
    issued.set(ref, { owner: this, addr });
    return ref;
  }

  /** What the capability names (needs IDENTIFY). */
  identify(ref: CapRef): CapInfo {
    return unwrap(this.caps.cspace.identify(this.slotOf(ref)));
  }

  /** A Frame of `bytes` (rounded up to pages), retyped from this core's RAM. */
  allocFrame(bytes: number): CapRef {
    if (!Number.isSafeInteger(bytes) || bytes <= 0)
      throw new CapError("INVALID_SIZE", `a frame must be a positive number of bytes, got ${bytes}`);
    return this.refOf(unwrap(this.caps.retypeNew("Frame", bytes)));
  }

  /**
   * Retypes `count` (default 1) objects of `type`, `bytes` each, from `offset` (default 0) inside the
   * cap (Barrelfish's cap_retype), into new slots. A cap only this core knows of is retyped here at
   * once (an array); one with copies or descendants on other cores, or owned by another core, goes
   * through the monitors' two-phase commit (a promise). Refusals are typed as the kernel's retype
   * gives them: RETYPE_OVERLAP, REVOKE_FIRST, RETYPE_INVALID (the type cannot come from this cap),
   * OUT_OF_RANGE, INVALID_SIZE, CAP_LOCKED.
   */
  retype(
    ref: CapRef,
    type: string,
    options: { readonly bytes: number; readonly count?: number; readonly offset?: number },
  ): CapRef[] | Promise<CapRef[]> {
    const src = this.slotOf(ref);
    const c = this.#cteOf(ref, false);
    const count = options.count ?? 1;
    if (!Number.isSafeInteger(count) || count < 1 || count > 64)
      throw new CapError("INVALID_ARGUMENT", `count must be 1..64, got ${String(count)}`);
    const req = { type, offset: options.offset ?? 0, objSize: options.bytes, count };
    const dest = this.#slotRun(count);
    const s = this.#k.s;
    const dist = this.#core.distributed;
    const remote =
      (s.flags(c) & (FLAG_REMOTE_COPIES | FLAG_REMOTE_DESCS)) !== 0 || s.owner(c) !== this.#k.core;
    const refs = () => Array.from({ length: count }, (_, i) => this.refOf((dest + i) as CapAddr));
    if (remote && dist?.retype !== undefined) {
      const first = this.caps.cspace.resolve(dest);
      if (typeof first !== "number") throw new CapError(first.code, first.message);
      return dist.retype(c, req, first).then(refs);
    }
    unwrap(this.caps.cspace.retype(src, req, dest));
    return refs();
  }

  /** `count` consecutive empty slots in one CNode of this CSpace (the first's address). */
  #slotRun(count: number): CapAddr {
    for (let tries = 0; tries < 8; tries++) {
      const first = this.caps.slots.next();
      let ok = true;
      for (let i = 1; i < count && ok; i++) ok = this.caps.slots.next() === first + i;
      if (ok && typeof this.caps.cspace.range(first, count) === "number") return first;
    }
    throw new CapError("OUT_OF_RANGE", `no ${count} consecutive free slots in one CNode of this CSpace`);
  }

  /** A copy in a new slot. */
  copy(ref: CapRef): CapRef {
    const dst = this.caps.slots.next();
    unwrap(this.caps.cspace.copy(this.slotOf(ref), dst));
    return this.refOf(dst);
  }

  /** A copy with rights narrowed to `rights`. */
  mint(ref: CapRef, rights: number, badge = 0): CapRef {
    const dst = this.caps.slots.next();
    unwrap(this.caps.cspace.mint(this.slotOf(ref), dst, rights, badge));
    return this.refOf(dst);
  }

  /** The owner and remote-relation bits of a cap (the distributed bookkeeping of its CTE). */
  relations(ref: CapRef): { owner: number; relations: number } {
    const c = this.#cteOf(ref, false);
    return { owner: this.#k.s.owner(c), relations: this.#k.s.flags(c) & FLAG_REMOTE_MASK };
  }

  /**
   * Deletes the capability (its slot becomes empty; references to it fail CAP_NOT_FOUND). A cap
   * known only to this core goes at once (undefined); the last local copy of one with remote copies
   * goes through the monitor's delete protocol (a promise: ownership may move to another core).
   */
  delete(ref: CapRef): Promise<void> | undefined {
    const addr = this.slotOf(ref);
    const c = this.#cteOf(ref, false);
    const base = this.#k.s.base(c);
    const size = this.#k.s.size(c);
    const r = this.caps.cspace.delete(addr);
    if (!r.ok && r.code === "RETRY_THROUGH_MONITOR" && this.#core.distributed !== null)
      return this.#core.distributed.delete(c);
    unwrap(r);
    // A frame nothing names any more is free for the next allocation at once.
    this.#core.release(base, size);
    return undefined;
  }

  /**
   * Deletes every copy and descendant, keeping this one: on this core alone when nothing of it lives
   * elsewhere (undefined), else on every core through the monitor's revoke protocol (a promise).
   */
  revoke(ref: CapRef): Promise<void> | undefined {
    const addr = this.slotOf(ref);
    const c = this.#cteOf(ref, false);
    const dist = this.#core.distributed;
    const s = this.#k.s;
    if (dist !== null && ((s.flags(c) & FLAG_REMOTE_MASK) !== 0 || s.owner(c) !== this.#core.kernel.core))
      return dist.revoke(c);
    unwrap(this.caps.cspace.revoke(addr));
    return undefined;
  }

  /** Maps a Frame (needs READ, and WRITE for a writable map) and returns its accessor. */
  map(ref: CapRef, options: { readonly write?: boolean } = {}): MappedMemory {
    const m = unwrap(this.vspace.map(this.slotOf(ref), options));
    const mem = new MappedMemory(
      this.#core.mem,
      this.#tlb,
      this.caps.pml4,
      m.vaddr,
      m.bytes,
      this.#onFault,
      this.#futex,
    );
    this.#maps.set(mem, m);
    this.#byVaddr.set(m.vaddr, { mem, mapping: m });
    return mem;
  }

  /** The mapping at `vaddr` (its first address), if this dispatcher made one there. */
  mappingAt(vaddr: number): Mapping | undefined {
    return this.#byVaddr.get(vaddr)?.mapping;
  }

  /** Unmaps the mapping at `vaddr`; PAGE_FAULT when there is none. */
  unmapAt(vaddr: number): Mapping {
    const e = this.#byVaddr.get(vaddr);
    if (e === undefined)
      throw new KernelError("PAGE_FAULT", `nothing is mapped at 0x${vaddr.toString(16)} in this domain`);
    this.unmap(e.mem);
    return e.mapping;
  }

  /**
   * Rewrites the page-table entries of the mapping at `vaddr` as writable or read-only (writable needs
   * WRITE on the frame) and flushes this core's TLB; other cores' TLBs are the caller's to shoot down.
   */
  protectAt(vaddr: number, write: boolean): Mapping {
    const e = this.#byVaddr.get(vaddr);
    if (e === undefined)
      throw new KernelError("PAGE_FAULT", `nothing is mapped at 0x${vaddr.toString(16)} in this domain`);
    for (const c of e.mapping.caps) unwrap(this.caps.cspace.modifyFlags(c, { write, user: true }));
    e.mapping = { ...e.mapping, writable: write };
    this.#maps.set(e.mem, e.mapping);
    return e.mapping;
  }

  /** Unmaps; later accesses through `mem` are page faults. */
  unmap(mem: MappedMemory): void {
    const m = this.#maps.get(mem);
    if (m === undefined) throw new KernelError("PAGE_FAULT", "that memory is not mapped by this domain");
    this.#maps.delete(mem);
    this.#byVaddr.delete(m.vaddr);
    unwrap(this.vspace.unmap(m));
  }

  /**
   * Same-core transfer: copies the cap into `to`'s CSpace and returns the receiver's reference. Needs
   * GRANT on the sender's cap (a cap without it cannot be passed on).
   */
  transfer(ref: CapRef, to: Syscalls): CapRef {
    const src = this.#cteOf(ref, true);
    const dst = to.caps.slots.next();
    const d = to.caps.cspace.resolve(dst) as number;
    unwrap(copy(this.#k, src, d));
    return to.refOf(dst);
  }

  /**
   * Cross-core transfer, sender's half: the cap as data for the receiving core's monitor. The local
   * cap is marked as having remote copies (so its core will not reuse the memory while they live).
   */
  exportCap(ref: CapRef): TransferRecord {
    const c = this.#cteOf(ref, true);
    const k = this.#k;
    const dist = this.#core.distributed;
    // The monitor refuses a cap a delete or revoke holds, marks it and counts it as travelling.
    const transfer = dist === null ? "" : dist.exporting(c);
    const info = identifyAll(k, c);
    if (dist === null)
      setFlags(k, { type: info.type, base: info.base, size: info.size }, FLAG_REMOTE_COPIES, 0);
    this.#core.markShared(info.base, info.size);
    return {
      type: info.type,
      base: info.base,
      size: info.size,
      rights: info.rights,
      badge: info.badge,
      owner: info.owner,
      relations: (k.s.flags(c) & FLAG_REMOTE_MASK) | FLAG_REMOTE_COPIES,
      transfer,
      from: k.core,
    };
  }

  /** Cross-core transfer, receiver's half: a new cap in this CSpace from the sender core's record. */
  importCap(rec: CapRecord | TransferRecord): CapRef {
    const dst = this.caps.slots.next();
    unwrap(insertCap(this.#k, this.caps.cspace.resolve(dst) as number, rec));
    const t = rec as Partial<TransferRecord>;
    if (this.#core.distributed !== null && typeof t.transfer === "string" && t.transfer !== "")
      this.#core.distributed.imported(t.transfer, Number(t.from));
    return this.refOf(dst);
  }

  /** Throws unless this dispatcher may pass `ref` on (it issued it here, and it has GRANT). */
  checkSend(ref: CapRef): void {
    this.#cteOf(ref, true);
  }

  /** The CTE of a reference, checked for GRANT when it is to be passed on. */
  #cteOf(ref: CapRef, grant: boolean): number {
    const c = this.caps.cspace.lookup(this.slotOf(ref));
    if (typeof c !== "number") throw new CapError(c.code, c.message);
    if (grant && !isSendable(typeName(this.#k.s.type(c))))
      throw new CapError("CAP_NOT_SENDABLE", `a ${typeName(this.#k.s.type(c))} cap cannot leave its CSpace`);
    if (grant && (this.#k.s.rights(c) & RIGHT_GRANT) === 0)
      throw new CapError(
        "CAP_RIGHTS",
        `${typeName(this.#k.s.type(c))} cap lacks GRANT: it cannot be passed on`,
      );
    return c;
  }

  /** This dispatcher's CSpace, for `caps ID`. */
  list(): CapRow[] {
    const s = this.#k.s;
    return this.caps.list().map(({ addr, cte }) => ({
      slot: formatCapAddr(addr),
      type: typeName(s.type(cte)),
      base: s.base(cte),
      size: s.size(cte),
      rights: s.rights(cte),
      owner: s.owner(cte),
      relations: s.flags(cte) & FLAG_REMOTE_MASK,
    }));
  }

  /** The Dispatcher cap of this dispatcher. */
  dispatcherRef(): CapRef {
    return this.refOf(DOMAIN_SLOTS.dispatcher);
  }

  /** Tears the dispatcher's CSpace and address space down (it exited). */
  destroy(): void {
    const dist = this.#core.distributed;
    const s = this.#k.s;
    if (dist !== null)
      for (const { cte } of this.caps.list())
        if ((s.flags(cte) & FLAG_REMOTE_MASK) !== 0 || s.owner(cte) !== this.#k.core) dist.adopt(cte);
    this.caps.destroy();
  }
}

function describeRef(ref: unknown): string {
  if (ref instanceof CapRef) return `CapRef "${ref.description}"`;
  if (typeof ref === "number" || typeof ref === "bigint") return `the number ${String(ref)}`;
  return ref === null ? "null" : typeof ref;
}

/** Identify without the IDENTIFY right (the kernel's own look, for transfers). */
function identifyAll(k: CapKernel, c: number): CapInfo & { readonly owner: number } {
  const s = k.s;
  return {
    type: typeName(s.type(c)),
    base: s.base(c),
    size: s.size(c),
    rights: s.rights(c),
    badge: s.badge(c),
    owner: s.owner(c),
  } as CapInfo & { readonly owner: number };
}
