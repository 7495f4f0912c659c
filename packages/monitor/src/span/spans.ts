/**
 * Spanning domains: one domain, dispatchers on several cores, one address space. The domain's
 * page-table tree is its home dispatcher's (the dispatcher `spawn` made; its PML4 is in the home
 * core's RAM). Every dispatcher's MMU walks that one tree with its own core's TLB, so a vaddr means
 * the same on every core. A map, unmap or protect asked on another core is carried out on the home
 * core (`span_map`, `span_unmap`, `span_protect` over intermon, the Frame cap moving as any cap
 * argument does), and an unmap or protect returns only once every core of the domain dropped its
 * TLB entries for the range (the shootdown seam, {@link SpanShootdown}: vspace/shootdown.ts).
 *
 * Lifetimes: when the home dispatcher's main ends, its spanned dispatchers are stopped (exit code
 * 137, "home exited") before its page tables are torn down; when a spanned dispatcher's core dies its
 * `exited` resolves -1 and shootdowns stop waiting for that core; when the home core dies, the
 * spanned dispatchers are stopped by their own monitors.
 */
import { fileURLToPath } from "node:url";
import { type Dcb, KernelError, MappedMemory, PAGE_BYTES } from "@shoal/cpu-driver";
import {
  type Cap,
  type Domain,
  type DomainVSpace,
  type MappedFrame,
  OsError,
  type OsErrorCode,
  type SpannedDispatcher,
  type SpanOptions,
} from "@shoal/libshoal";
import { isShoalError } from "@shoal/runtime";
import { toOsError } from "../caps/domain-api.js";
import { frameAtomics } from "../caps/frame-atomics.js";
import type { Monitor } from "../core/monitor.js";

/** What a spanned dispatcher is started with. */
export interface SpanStart {
  /** The domain's id: its home dispatcher's. */
  readonly home: number;
  readonly homeCore: number;
  /** Physical address of the domain's PML4 (the root every core of the domain walks). */
  readonly pml4: number;
  /** The module's export to run. */
  readonly entry: string;
}

/** A Domain object before span and the shared-address-space vspace are added. */
export type BaseDomain = Omit<Domain, "span" | "vspace"> & {
  readonly vspace: Omit<DomainVSpace, "view" | "protect">;
};

/** A range of pages of one domain. */
export interface PageRange {
  readonly base: number;
  readonly pages: number;
}

/**
 * How the home core makes every other core of a domain drop a range from its TLB: resolves when all
 * of `cores` acknowledged, rejects typed (PEER_DIED, TIMEOUT) otherwise.
 */
export type SpanShootdown = (home: number, cores: readonly number[], range: PageRange) => Promise<void>;

interface HomeRecord {
  readonly dcb: Dcb;
  /** Spanned dispatcher id → its core. */
  readonly guests: Map<number, number>;
}

/** The spanning state of one monitor. */
export class Spans {
  readonly #m: Monitor;
  /** Domains whose home dispatcher is on this core. */
  readonly #homes = new Map<number, HomeRecord>();
  /** Spanned dispatchers on this core, by their dispatcher id. */
  readonly #guests = new Map<number, SpanStart>();
  /** Exits of dispatchers this core's spanned dispatchers asked the home for, by dispatcher id. */
  readonly #asked = new Map<
    number,
    { readonly homeCore: number; readonly resolve: (code: number) => void }
  >();
  readonly #askedEarly = new Map<number, number>();
  /** The shootdown the home core runs after an unmap or protect (replaceable: the protocols). */
  shootdown: SpanShootdown;

  constructor(m: Monitor) {
    this.#m = m;
    this.shootdown = (_home, cores, range) => m.shootdown.run((s) => s.run(cores, range));
  }

  /** The spanned dispatchers on this core (for tests and ps). */
  get guests(): ReadonlyMap<number, SpanStart> {
    return this.#guests;
  }

  /** The cores other than this one where domain `home` (homed here) has a live dispatcher. */
  coresOf(home: number): number[] {
    const rec = this.#homes.get(home);
    if (rec === undefined) return [];
    const set = new Set(rec.guests.values());
    set.delete(this.#m.core);
    return [...set].sort((a, b) => a - b);
  }

  /** The Domain object of `dcb`: `base` plus span and the shared address space. */
  extend(dcb: Dcb, base: BaseDomain, span: SpanStart | undefined): Domain {
    const m = this.#m;
    const spans = this;
    const home = span?.home ?? dcb.id;
    const homeCore = span?.homeCore ?? m.core;
    const pml4 = span?.pml4 ?? m.cpu.syscalls(dcb.id).caps.pml4;
    if (span !== undefined) this.#guests.set(dcb.id, span);
    const owned = new WeakSet<MappedFrame>();
    const view = (vaddr: number, bytes: number): MappedFrame => {
      if (!Number.isSafeInteger(vaddr) || vaddr < 0 || !Number.isSafeInteger(bytes) || bytes <= 0)
        throw new OsError("BAD_ARGUMENT", `view needs a vaddr and a positive length, got ${vaddr}, ${bytes}`);
      const mm = new MappedMemory(
        m.cpu.ram.mem,
        m.cpu.tlb,
        pml4,
        vaddr,
        bytes,
        (e) => m.domains.fault(dcb, e),
        m.cpu.futexHooks(dcb),
      );
      const f = wrapView(mm, dcb);
      owned.add(f);
      return f;
    };
    const mine = (mem: MappedFrame): void => {
      if (!owned.has(mem)) throw new OsError("PAGE_FAULT", "that memory is not mapped by this domain");
    };
    const vspace: DomainVSpace = {
      async map(frame: Cap, options?: { readonly write?: boolean }) {
        if (span === undefined) {
          const f = await base.vspace.map(frame, options);
          owned.add(f);
          return f;
        }
        const write = options?.write === undefined ? 2 : options.write ? 1 : 0;
        const at = await spans.#askHome(homeCore, async () => {
          if (homeCore === m.core) return spans.homeMap(home, frame, write);
          const r = await m.peer(homeCore).rpc.span_map(home, frame, write);
          if (r.err !== "") throw decodeErr(r.err);
          return { vaddr: Number(r.vaddr), bytes: Number(r.bytes) };
        });
        return view(at.vaddr, at.bytes);
      },
      async unmap(mem: MappedFrame) {
        mine(mem);
        await spans.#change(home, homeCore, mem.vaddr, "unmap", false);
      },
      async protect(mem: MappedFrame, options: { readonly write: boolean }) {
        mine(mem);
        await spans.#change(home, homeCore, mem.vaddr, "protect", options.write === true);
      },
      view,
      setFaultHandler: (h) => base.vspace.setFaultHandler(h),
    };
    return {
      ...base,
      id: home,
      vspace,
      async span(core: number, module: URL | string, options?: SpanOptions): Promise<SpannedDispatcher> {
        if (span === undefined) return spans.#span(dcb, core, module, options ?? {});
        // A spanned dispatcher spans through its home, which keeps the domain's record.
        if (dcb.finished) throw new OsError("BAD_ARGUMENT", "this dispatcher has stopped");
        return spans.#askHome(homeCore, () => spans.#spanVia(home, homeCore, core, module, options ?? {}));
      },
    };
  }

  async #askHome<T>(homeCore: number, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof OsError) throw e;
      if (isShoalError(e) && e.code === "PEER_DIED")
        throw new OsError("PEER_DIED", `the domain's home core ${homeCore} died`, e);
      throw toOsError(e);
    }
  }

  async #change(
    home: number,
    homeCore: number,
    vaddr: number,
    change: "unmap" | "protect",
    write: boolean,
  ): Promise<void> {
    const m = this.#m;
    await this.#askHome(homeCore, async () => {
      if (homeCore === m.core) return this.homeChange(home, vaddr, change, write);
      const p = m.peer(homeCore).rpc;
      const r =
        change === "unmap"
          ? await p.span_unmap(home, BigInt(vaddr))
          : await p.span_protect(home, BigInt(vaddr), write ? 1 : 0);
      if (r.err !== "") throw decodeErr(r.err);
    });
  }

  async #span(dcb: Dcb, core: number, module: URL | string, o: SpanOptions): Promise<SpannedDispatcher> {
    const m = this.#m;
    const cores = m.boot.layout.cores;
    if (!Number.isInteger(core) || core < 0 || core >= cores || m.mesh.isDead(core))
      throw new OsError("NO_SUCH_CORE", `there is no live core ${core} (this system has ${cores})`);
    if (dcb.finished) throw new OsError("BAD_ARGUMENT", "the domain's home dispatcher has exited");
    const path = module instanceof URL ? fileURLToPath(module) : String(module);
    const entry = o.entry ?? "default";
    const args = [...(o.args ?? [])];
    const pml4 = m.cpu.syscalls(dcb.id).caps.pml4;
    let rec = this.#homes.get(dcb.id);
    if (rec === undefined) {
      rec = { dcb, guests: new Map() };
      this.#homes.set(dcb.id, rec);
    }
    let id: number;
    if (core === m.core)
      id = await m.domains.spawn(path, args, dcb.id, m.core, { home: dcb.id, homeCore: m.core, pml4, entry });
    else {
      const r = await m.peer(core).rpc.span_start(dcb.id, BigInt(pml4), path, entry, JSON.stringify(args));
      if (r.err !== "") throw new OsError("SPAWN_FAILED", r.err);
      id = r.dispatcher;
    }
    const guests = rec.guests;
    guests.set(id, core);
    const exited = m.domains.waitFor(id, core).then((code) => {
      guests.delete(id);
      return code;
    });
    // The home may have ended while the span was on its way: stop the newcomer as its siblings were.
    if (dcb.finished) void this.#stopGuests(dcb.id, [[id, core]]);
    return { core, dispatcher: id, exited };
  }

  async #spanVia(
    home: number,
    homeCore: number,
    core: number,
    module: URL | string,
    o: SpanOptions,
  ): Promise<SpannedDispatcher> {
    const m = this.#m;
    const path = module instanceof URL ? fileURLToPath(module) : String(module);
    if (homeCore === m.core) return this.spanFor(home, core, path, o, m.core);
    const r = await m
      .peer(homeCore)
      .rpc.span_request(home, core, path, o.entry ?? "default", JSON.stringify([...(o.args ?? [])]));
    if (r.err !== "") throw decodeErr(r.err);
    const id = r.dispatcher;
    const early = this.#askedEarly.get(id);
    this.#askedEarly.delete(id);
    const exited =
      early !== undefined
        ? Promise.resolve(early)
        : new Promise<number>((resolve) => this.#asked.set(id, { homeCore, resolve }));
    return { core, dispatcher: id, exited };
  }

  /**
   * On the home core: spans domain `home` to `core` for one of its dispatchers on core `asker`, whose
   * monitor hears of the exit (span_exited) unless it is this core.
   */
  async spanFor(
    home: number,
    core: number,
    path: string,
    o: SpanOptions,
    asker: number,
  ): Promise<SpannedDispatcher> {
    const m = this.#m;
    const rec = this.#homes.get(home);
    const dcb = rec?.dcb ?? (m.cpu.dispatchers.has(home) ? m.cpu.dispatchers.get(home) : undefined);
    if (dcb === undefined || dcb.finished || dcb.core !== m.core)
      throw new OsError("BAD_ARGUMENT", `domain ${home} has no running home dispatcher on core ${m.core}`);
    const sd = await this.#span(dcb, core, path, o);
    if (asker !== m.core)
      void sd.exited.then((code) => {
        if (!m.mesh.isDead(asker))
          void m
            .peer(asker)
            .tx.span_exited(sd.dispatcher, code)
            .catch(() => {});
      });
    return sd;
  }

  /** The home says a dispatcher this core's spanned dispatcher asked for has exited. */
  askedExited(dispatcher: number, code: number): void {
    const w = this.#asked.get(dispatcher);
    if (w === undefined) {
      this.#askedEarly.set(dispatcher, code);
      return;
    }
    this.#asked.delete(dispatcher);
    w.resolve(code);
  }

  /** On the home core: the frame (a cap of any dispatcher of the domain) mapped into the domain's tree. */
  homeMap(home: number, frame: Cap, write: number): { vaddr: number; bytes: number; writable: boolean } {
    const m = this.#m;
    const rec = this.#homes.get(home);
    if (rec === undefined || rec.dcb.finished)
      throw new OsError("BAD_ARGUMENT", `domain ${home} has no home dispatcher on core ${m.core}`);
    const ref = m.cpu.receiveCap(frame, home);
    const sys = m.cpu.syscalls(home);
    const mem = sys.map(ref, write === 2 ? {} : { write: write === 1 });
    const mapping = sys.mappingAt(mem.vaddr);
    return { vaddr: mem.vaddr, bytes: mem.byteLength, writable: mapping?.writable ?? false };
  }

  /**
   * On the home core: unmap (or protect) the mapping at `vaddr` in the domain's tree (this core's TLB
   * is flushed by the kernel as it edits), then shoot the range down on every other core of the
   * domain; resolves when all acknowledged.
   */
  async homeChange(home: number, vaddr: number, change: "unmap" | "protect", write: boolean): Promise<void> {
    const m = this.#m;
    let mapping: { vaddr: number; bytes: number };
    try {
      const sys = m.cpu.syscalls(home);
      mapping = change === "unmap" ? sys.unmapAt(vaddr) : sys.protectAt(vaddr, write);
    } catch (e) {
      throw toOsError(e);
    }
    const cores = this.coresOf(home);
    if (cores.length === 0) return;
    await this.shootdown(home, cores, { base: mapping.vaddr, pages: Math.ceil(mapping.bytes / PAGE_BYTES) });
  }

  /**
   * The home dispatcher `dcb` finished: its spanned dispatchers are stopped, then `teardown` (its
   * CSpace and page tables) runs. Without spanned dispatchers, teardown runs at once.
   */
  homeExited(dcb: Dcb, teardown: () => void): void {
    const rec = this.#homes.get(dcb.id);
    this.#homes.delete(dcb.id);
    const live = rec === undefined ? [] : [...rec.guests];
    if (live.length === 0) {
      teardown();
      return;
    }
    void this.#stopGuests(dcb.id, live).finally(teardown);
  }

  async #stopGuests(home: number, guests: readonly (readonly [number, number])[]): Promise<void> {
    const m = this.#m;
    const cores = new Set(guests.map(([, c]) => c));
    await Promise.allSettled(
      [...cores].map(async (c) => {
        if (c === m.core) this.stopLocal(home, "stopped: its domain's home dispatcher exited");
        else if (!m.mesh.isDead(c))
          await m.peer(c).rpc.span_stop(home, "its domain's home dispatcher exited", { timeoutMs: 5_000 });
      }),
    );
  }

  /** Stops this core's dispatchers of domain `home`; returns how many. */
  stopLocal(home: number, reason: string): number {
    let n = 0;
    for (const [id, s] of [...this.#guests]) {
      if (s.home !== home) continue;
      if (this.#m.domains.kill(id, reason)) n++;
    }
    return n;
  }

  /** A dispatcher of this core finished: a spanned one leaves no translations of its domain behind. */
  dispatcherExited(dcb: Dcb): void {
    if (!this.#guests.delete(dcb.id)) return;
    // Its domain's PML4 may be freed and reused once the home goes; no stale entry may outlive that.
    this.#m.cpu.tlb.flush();
  }

  /** Core `core` died: forget spanned dispatchers there; stop the ones here whose home was there. */
  coreDied(core: number): void {
    // Exits the dead home would have told: -1, as for any child on a dead core.
    for (const [id, w] of [...this.#asked])
      if (w.homeCore === core) {
        this.#asked.delete(id);
        w.resolve(-1);
      }
    for (const rec of this.#homes.values())
      for (const [id, c] of [...rec.guests]) if (c === core) rec.guests.delete(id);
    const homes = new Set([...this.#guests.values()].filter((s) => s.homeCore === core).map((s) => s.home));
    for (const h of homes) this.stopLocal(h, `stopped: its domain's home core ${core} died`);
  }
}

/** An OS error as text for an intermon answer (`CODE: message`). */
export function encodeErr(e: unknown): string {
  const os = toOsError(e);
  if (os instanceof OsError) return `${os.code}: ${os.message}`;
  if (isShoalError(os)) return `${os.code}: ${os.message}`;
  return `CAP_FAILED: ${os instanceof Error ? os.message : String(os)}`;
}

function decodeErr(text: string): OsError {
  const m = /^([A-Z_]+): ([\s\S]*)$/.exec(text);
  if (m === null) return new OsError("CAP_FAILED", text);
  return new OsError(m[1] as OsErrorCode, m[2] ?? "");
}

/** A view's accessor: faults become OsError PAGE_FAULT; a stopped dispatcher reads nothing. */
function wrapView(mm: MappedMemory, dcb: Dcb): MappedFrame {
  const run = <T>(fn: () => T): T => {
    if (dcb.finished)
      throw new OsError("PAGE_FAULT", `dispatcher ${dcb.id} has stopped: its address space is gone`);
    try {
      return fn();
    } catch (e) {
      throw e instanceof KernelError ? toOsError(e) : e;
    }
  };
  return {
    vaddr: mm.vaddr,
    byteLength: mm.byteLength,
    getUint8: (o) => run(() => mm.getUint8(o)),
    setUint8: (o, v) => run(() => mm.setUint8(o, v)),
    getUint32: (o, le) => run(() => mm.getUint32(o, le)),
    setUint32: (o, v, le) => run(() => mm.setUint32(o, v, le)),
    getBigUint64: (o, le) => run(() => mm.getBigUint64(o, le)),
    setBigUint64: (o, v, le) => run(() => mm.setBigUint64(o, v, le)),
    read: (o, n) => run(() => mm.read(o, n)),
    write: (o, b) => run(() => mm.write(o, b)),
    // Atomics and waits on the physical word; a stopped dispatcher's fault as its other accesses do.
    ...frameAtomics(mm, () => run(() => undefined)),
  };
}
