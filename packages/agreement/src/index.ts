/**
 * @shoal/agreement: the protocol code of shoal's TLB shootdown and two-phase commit, after §5.1 of the
 * multikernel paper, over an abstract per-core channel and clock ({@link CoreEnv}). The monitors run
 * it over intermon (`@shoal/monitor`, src/vspace/); `@shoal/shootdown` runs the same code over its
 * discrete-event simulator, plain workers and user domains, and re-exports all of this. It is its own
 * package so that the monitor can depend on it while `@shoal/shootdown` depends on the monitor.
 *
 * @packageDocumentation
 */
export {
  isShootdownError,
  ShootdownError,
  type ShootdownErrorCode,
  type ShootdownErrorDetails,
} from "./errors.js";
export { type CoreHooks, ShootdownCore } from "./protocol/core.js";
export type { CoreEnv, Timer } from "./protocol/env.js";
export {
  type Body,
  MAX_ROOTS,
  mergeVerdict,
  OK,
  type Range,
  type Txn,
  type Verdict,
  type Wire,
} from "./protocol/messages.js";
export {
  AgreementNode,
  type LocalPart,
  type NodeOptions,
  type NodeStats,
  type RoundDone,
} from "./protocol/node.js";
export { type AgreementResource, coordinate, olderThan, Participant } from "./protocol/twopc.js";
export {
  PROTOCOLS,
  type ProtocolName,
  pruneTree,
  RouteTable,
  type RouteTree,
  starTree,
  treeCores,
  treeDepth,
} from "./routes/tree.js";
