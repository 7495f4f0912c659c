/**
 * @shoal/skb: the system knowledge base. Facts about the machine (discovered, or from a board file),
 * a SWI-Prolog engine (swipl-wasm) behind a typed wrapper, and the queries a multikernel asks:
 * multicast trees, memory placement, core placement and transport selection.
 *
 * @packageDocumentation
 */
export {
  type EngineOptions,
  type EngineStats,
  type LoadResult,
  type QueryOptions,
  type QueryResult,
  SkbEngine,
} from "./engine/engine.js";
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
