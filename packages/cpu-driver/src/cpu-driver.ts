/**
 * The CPU driver of one core: local only, single-threaded, event-driven. It owns the core's dispatcher
 * table, runs every dispatcher's code through measured upcalls, owns the core's capability kernel
 * (`@shoal/caps` booted over the core's RAM) and MMU (the VNode page tables and one software TLB), and
 * gives each dispatcher its system-call surface over its own CSpace. The monitor (a privileged
 * dispatcher on the same core) holds the boot CSpace with the core's RAM cap; user domains reach the
 * kernel only through their Domain object.
 */
import { type CapRecord, Tlb } from "@shoal/caps";
import type { CapRef, CapTransport } from "@shoal/runtime";
import { CoreCaps } from "./caps/core-caps.js";
import type { Dcb } from "./dispatchers/dcb.js";
import { DispatcherTable } from "./dispatchers/table.js";
import { KernelError } from "./errors.js";
import { type UpcallReports, Upcalls } from "./scheduler/upcalls.js";
import { issuerOf, Syscalls } from "./syscalls/syscalls.js";
import type { FutexHooks } from "./vspace/futex.js";

/** What the machine hands a core at boot (its KernelControlBlock, in Barrelfish's terms). */
export interface KernelControlBlock {
  readonly core: number;
  readonly cores: number;
  /** The machine's physical memory (kernel code only). */
  readonly memory: SharedArrayBuffer;
  /** This core's RAM: a range of physical memory its capability kernel is booted over. */
  readonly ram: { readonly base: number; readonly bytes: number };
}

/** Entries of the core's software TLB (a power of two). */
const TLB_ENTRIES = 256;

/** The per-core kernel. */
export class CpuDriver {
  readonly kcb: KernelControlBlock;
  readonly dispatchers: DispatcherTable;
  readonly upcalls: Upcalls;
  /** The core's capability kernel and RAM (frames are retyped from its RAM cap). */
  readonly ram: CoreCaps;
  /** The core's TLB, flushed by the capability kernel whenever a mapping goes or weakens. */
  readonly tlb: Tlb;
  /** Caps in flight: what arrived from another core before its receiving domain took it. */
  readonly transit: Syscalls;
  readonly #syscalls = new Map<number, Syscalls>();

  constructor(kcb: KernelControlBlock, reports: UpcallReports, sliceMs?: number) {
    this.kcb = kcb;
    this.dispatchers = new DispatcherTable(kcb.core);
    this.upcalls = new Upcalls(reports, sliceMs);
    this.ram = new CoreCaps(kcb.core, kcb.memory, kcb.ram);
    this.tlb = new Tlb(this.ram.mem.u32, TLB_ENTRIES);
    this.ram.kernel.attachTlb(this.tlb);
    this.transit = new Syscalls(this.ram, this.tlb, () => {});
  }

  /** The sender's CSpace of `ref`; FORGED_CAP for anything this core's kernel did not issue. */
  #issuer(ref: unknown): Syscalls {
    const s = issuerOf(ref);
    if (s === undefined)
      throw new KernelError("FORGED_CAP", `${String(ref)} is not a capability (no kernel issued it)`);
    return s;
  }

  /**
   * The receiving half of a transfer: `ref` (the sender's, or one in transit from another core)
   * becomes a new reference in dispatcher `id`'s CSpace. Needs GRANT on the sender's cap.
   */
  receiveCap(ref: CapRef, id: number): CapRef {
    const to = this.syscalls(id);
    const from = this.#issuer(ref);
    if (from === to) return ref;
    const mine = from.transfer(ref, to);
    if (from === this.transit) {
      try {
        this.transit.delete(ref);
      } catch {
        // A copy the distributed protocols would have to delete stays in transit; it names no new memory.
      }
    }
    return mine;
  }

  /**
   * This core's cap transport (installed per thread with the runtime's useCapTransport): refuses
   * forged caps and caps without GRANT at the sender, exports caps as kernel records across cores,
   * and imports arriving records into the transit CSpace until the receiving handler takes them.
   */
  capTransport(): CapTransport {
    return {
      check: (caps) => {
        for (const c of caps) this.#issuer(c).checkSend(c);
      },
      outgoing: (caps) => caps.map((c) => this.#issuer(c).exportCap(c)),
      incoming: (data) => {
        if (!Array.isArray(data)) throw new KernelError("FORGED_CAP", "cap records must be an array");
        return data.map((rec) => this.transit.importCap(rec as CapRecord));
      },
    };
  }

  get core(): number {
    return this.kcb.core;
  }

  /**
   * Creates a dispatcher: its DCB record, its CSpace (root CNode), its Dispatcher object and its PML4,
   * all retyped from the core's RAM. `onFault` hears the page faults of its accesses.
   */
  createDispatcher(name: string, parent: number, onFault: (dcb: Dcb, e: KernelError) => void): Dcb {
    const dcb = this.dispatchers.create(name, parent);
    const futex = this.futexHooks(dcb);
    this.#syscalls.set(dcb.id, new Syscalls(this.ram, this.tlb, (e) => onFault(dcb, e), futex));
    return dcb;
  }

  /**
   * How the futex waits of `dcb`'s memory accessors are accounted to it: blocked time is neither CPU
   * time nor an overrun (every MappedMemory of the dispatcher, its maps' and its views', takes these).
   */
  futexHooks(dcb: Dcb): FutexHooks {
    return {
      block: <T>(wait: () => T) => this.upcalls.block(dcb, wait),
      blockAsync: <T>(wait: Promise<T>) => this.upcalls.blockAsync(dcb, wait),
    };
  }

  /** The system-call surface of dispatcher `id`. */
  syscalls(id: number): Syscalls {
    const s = this.#syscalls.get(id);
    if (s === undefined) {
      this.dispatchers.get(id);
      throw new Error(`dispatcher ${id} has no CSpace (it was torn down)`);
    }
    return s;
  }

  /** True while dispatcher `id` has a CSpace. */
  hasSyscalls(id: number): boolean {
    return this.#syscalls.has(id);
  }

  /** Tears down a finished dispatcher's CSpace and address space. */
  destroyDispatcher(id: number): void {
    const s = this.#syscalls.get(id);
    if (s === undefined) return;
    this.#syscalls.delete(id);
    s.destroy();
  }
}
