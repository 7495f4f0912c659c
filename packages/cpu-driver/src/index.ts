/**
 * @shoal/cpu-driver: the per-core kernel of shoal. Dispatcher control blocks, measured upcalls
 * (cooperative scheduling with overrun reports and fault delivery), the core's capability kernel over
 * its RAM, each dispatcher's CSpace and address space, and the system-call surface.
 * @packageDocumentation
 */
export { CoreCaps, type RetypedRegion, SlotAllocator, type UsedByType } from "./caps/core-caps.js";
export type { DistributedCaps, TransferRecord } from "./caps/distributed.js";
export { DOMAIN_SLOTS, DomainCaps } from "./caps/domain-caps.js";
export { CpuDriver, type KernelControlBlock } from "./cpu-driver.js";
export { Dcb, type DispatcherState, type UpcallKind } from "./dispatchers/dcb.js";
export { coreOfDispatcher, DispatcherTable } from "./dispatchers/table.js";
export { isKernelError, KernelError, type KernelErrorCode } from "./errors.js";
export { FrameAllocator, type FrameRange, PAGE_BYTES } from "./ram/frame-allocator.js";
export { DEFAULT_SLICE_MS, type UpcallReports, Upcalls } from "./scheduler/upcalls.js";
export { type CapRow, issuerOf, Syscalls } from "./syscalls/syscalls.js";
export { type FutexHooks, type FutexOutcome, NO_FUTEX_HOOKS, physicalWords } from "./vspace/futex.js";
export { MappedMemory } from "./vspace/mapped-memory.js";
export { type Mapping, VSpace } from "./vspace/vspace.js";
