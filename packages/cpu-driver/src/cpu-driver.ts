/**
 * The CPU driver of one core: local only, single-threaded, event-driven. It owns the core's dispatcher
 * table, runs every dispatcher's code through measured upcalls, and hands out frames of the core's RAM.
 * The monitor (a privileged dispatcher on the same core) asks it for these; user domains reach it only
 * through their Domain object.
 */
import { DispatcherTable } from "./dispatchers/table.js";
import { FrameAllocator } from "./ram/frame-allocator.js";
import { type UpcallReports, Upcalls } from "./scheduler/upcalls.js";

/** What the machine hands a core at boot (its KernelControlBlock, in Barrelfish's terms). */
export interface KernelControlBlock {
  readonly core: number;
  readonly cores: number;
  /** The machine's physical memory (kernel code only). */
  readonly memory: SharedArrayBuffer;
  /** This core's RAM: a range of physical memory it allocates frames from. */
  readonly ram: { readonly base: number; readonly bytes: number };
}

/** The per-core kernel. */
export class CpuDriver {
  readonly kcb: KernelControlBlock;
  readonly dispatchers: DispatcherTable;
  readonly upcalls: Upcalls;
  readonly ram: FrameAllocator;

  constructor(kcb: KernelControlBlock, reports: UpcallReports, sliceMs?: number) {
    this.kcb = kcb;
    this.dispatchers = new DispatcherTable(kcb.core);
    this.upcalls = new Upcalls(reports, sliceMs);
    this.ram = new FrameAllocator(kcb.ram.base, kcb.ram.bytes);
  }

  get core(): number {
    return this.kcb.core;
  }
}
