/**
 * @shoal/monitor: the per-core monitor of shoal and the machine that boots the cores. `Machine.boot`
 * lays out physical memory, powers on one worker per core (CPU driver + monitor), wires the intermon
 * mesh in physical memory and then relays the shell's requests to the cores.
 * @packageDocumentation
 */
export { BIND_LINES } from "./bind/exports.js";
export { type BootLayout, bootLayout, coreRam, doorbellOffset, MESH_LINES, meshOffset } from "./layout.js";
export {
  type BootOptions,
  DEFAULT_MEMORY_BYTES,
  MAX_CORES,
  Machine,
  MachineError,
} from "./machine/machine.js";
export { KILLED_EXIT_CODE, type MemRow, type PsRow, type ShootdownTrees } from "./machine/protocol.js";
export {
  type AllRoutes,
  allRoutesQuery,
  parseAllRoutesAnswer,
  rootsPerQuery,
} from "./skb/all-routes.js";
export {
  bootSkb,
  joinShootdownRoutes,
  routesOfAllCores,
  type SkbBootOptions,
  type SkbBootReport,
} from "./skb/boot.js";
export { isSkbRoutesError, SkbRoutesError, type SkbRoutesErrorCode } from "./skb/errors.js";
export { compileWasm, PRELOADED_MODULES, preload } from "./skb/preload.js";
export {
  childrenOf,
  parseRoutesAnswer,
  type RouteProtocol,
  type Routes,
  type RouteTree,
  routesQuery,
  treeCores,
} from "./skb/routes.js";
export {
  measureRtts,
  type RttMatrix,
  type RttOptions,
  type RttRow,
  rttFactLines,
  rttStats,
} from "./skb/rtt.js";
