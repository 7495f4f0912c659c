/**
 * @shoal/cpu-driver: the per-core kernel of shoal. Dispatcher control blocks, measured upcalls
 * (cooperative scheduling with overrun reports and fault delivery), and the core's RAM frames.
 * @packageDocumentation
 */
export { CpuDriver, type KernelControlBlock } from "./cpu-driver.js";
export { Dcb, type DispatcherState, type UpcallKind } from "./dispatchers/dcb.js";
export { coreOfDispatcher, DispatcherTable } from "./dispatchers/table.js";
export { isKernelError, KernelError, type KernelErrorCode } from "./errors.js";
export { FrameAllocator, type FrameRange, PAGE_BYTES } from "./ram/frame-allocator.js";
export { DEFAULT_SLICE_MS, type UpcallReports, Upcalls } from "./scheduler/upcalls.js";
