/**
 * @shoal/skb: the system knowledge base. Facts about the machine (discovered, or from a board file),
 * a SWI-Prolog engine (swipl-wasm) behind a typed wrapper, and the queries a multikernel asks:
 * multicast trees, memory placement, core placement and transport selection.
 *
 * @packageDocumentation
 */

export { boardFileText, boardNames, boardPath, loadBoard, loadBoardSpec } from "./boards/boards.js";
export { AMD_2X2, AMD_4X4, AMD_8X4, INTEL_2X4, PAPER_BOARDS } from "./boards/paper.js";
export { type BoardSpec, boardFacts, type CacheSpec, hopMatrix, type RttModel } from "./boards/spec.js";
export { syntheticBoard } from "./boards/synthetic.js";
export {
  discoverHost,
  type HostCache,
  type HostNode,
  type HostThread,
  type HostTopology,
} from "./discovery/discover.js";
export { type HostFactsOptions, hostFacts } from "./discovery/host-facts.js";
export { type LoadHostOptions, loadHost } from "./discovery/load-host.js";
export {
  type EngineOptions,
  type EngineStats,
  type LoadResult,
  type QueryOptions,
  type QueryResult,
  SkbEngine,
  type StartProfile,
} from "./engine/engine.js";
export { makeSavedState } from "./engine/make-state.js";
export { programSources, readState, statePaths, swiplWasmPath } from "./engine/state.js";
export { PRELOADED_MODULES } from "./engine/swipl.js";
export {
  type Bindings,
  compound,
  decodeTerm,
  formatAtom,
  formatTerm,
  type PlCompound,
  type PlPartialList,
  type PlRational,
  type PlString,
  type PlVar,
  plString,
  type Term,
} from "./engine/terms.js";
export {
  isSkbError,
  type SkbDiagnostic,
  SkbError,
  type SkbErrorCode,
  type SkbErrorDetails,
} from "./errors.js";
export { assertMeasuredRtts, type MeasuredRtt } from "./facts/measured.js";
export { type Fact, fact, factFile, factLine } from "./facts/render.js";
export { ensureSkbPrograms, SKB_PROGRAMS } from "./programs.js";
export {
  type MulticastTree,
  multicastAllRoots,
  multicastRoutes,
  multicastTree,
  type NumaMulticastTree,
  numaMulticastTree,
  treeCores,
} from "./queries/multicast.js";
export {
  type CoreRelation,
  nearestMemoryNode,
  nodesByDistance,
  type Placement,
  type PlacementPolicy,
  placeDomains,
  selectTransport,
  type TransportChoice,
} from "./queries/placement.js";
export {
  formatRecord,
  type OctopusRecord,
  parseRecord,
  type RecordValue,
  recordTerms,
} from "./service/records.js";
export {
  type ClientKey,
  RUN_FAILED,
  RUN_NO_ANSWER,
  RUN_OK,
  SKB_ERR,
  SkbService,
  skbErrName,
} from "./service/service.js";
