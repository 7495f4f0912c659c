/**
 * The distributed capability operations: what a monitor runs to keep every core's capabilities
 * consistent. Plug a {@link CapLink} (intermon URPC in the OS, the simulator in tests) and a
 * {@link CapStore} (the core's kernel, {@link KernelStore}) into a {@link CapCoordinator}.
 */
export { CapCoordinator, type CoordinatorStats, type OpState } from "./coordinator.js";
export { busy, type Env, type Lock, type LockKind, type OpKind, type OpOutcome, type Step } from "./env.js";
export type { CapLink } from "./link.js";
export { KernelStore, type SlotPool } from "./local-store.js";
export * from "./protocol.js";
export { type InFlight, type Observed, type SimOptions, Simulation } from "./sim/simulator.js";
export type { CapStore, KernelResult } from "./store.js";
export * from "./types.js";
