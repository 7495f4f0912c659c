/**
 * @shoal/shootdown: TLB shootdown and agreement for shoal's monitors, after §5.1 of the multikernel
 * paper. The protocols (broadcast, unicast, multicast, NUMA-aware multicast; one-phase invalidation
 * and two-phase commit) run over an abstract per-core channel and clock ({@link CoreEnv}), so the same
 * code runs on real cores and on the discrete-event simulator of the paper's 8x4-core AMD machine.
 *
 * @packageDocumentation
 */

export * from "@shoal/agreement";
export type { BootedConfig, BootedMode, BootedReport } from "./booted/config.js";
export { type BootedRunOptions, type BootedRunResult, domainPath, runBooted } from "./booted/run-booted.js";
export { BindingTransport, type PeerLink, type TransportStats } from "./booted/transport.js";
export { decodeWire, encodeWire } from "./real/codec.js";
export { MAX_REAL_CORES, type MeshLayout, meshLayout } from "./real/layout.js";
export { type LoopOptions, MeshCore } from "./real/mesh.js";
export { type RealRunOptions, type RealRunResult, runRealShootdowns } from "./real/run-real.js";
export {
  allRoutesFromSkb,
  numaTreeFromSkb,
  packageTree,
  routesFromSkb,
  type Topology,
  topologyFromSkb,
} from "./routes/skb-routes.js";
export {
  AMD_8X4_COSTS,
  type CostModel,
  coreHops,
  latencyCycles,
  type SimTopology,
  topologyOfBoard,
} from "./sim/cost-model.js";
export { EventQueue, seededRandom } from "./sim/event-queue.js";
export { type Receiver, SimMachine, type SimOptions, type SimStats } from "./sim/machine.js";
export {
  median,
  type SimRunOptions,
  type SimRunResult,
  type SimSetup,
  simSetup,
  simulateShootdowns,
  simulateTwoPc,
  type TwoPcResult,
} from "./sim/run.js";
export {
  runUnmapBench,
  type UnmapBenchOptions,
  type UnmapBenchResult,
  unmapDomainPath,
} from "./vspace/run-unmap.js";
export { type MappingChange, unmapRange, type VspaceHooks } from "./vspace/unmap.js";
export { UNMAP_PREFIX, type UnmapReport } from "./vspace/unmap-domain.js";
