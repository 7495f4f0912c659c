/**
 * @shoal/runtime: the transports and the binding seam that generated stubs build on.
 * @packageDocumentation
 */

export { CapRef, type CapTransport, capTransport, checkCaps, useCapTransport } from "./caps.js";
export type {
  Channel,
  InterfaceInfo,
  OpenOptions,
  Receiver,
  Transport,
  WireMessageInfo,
} from "./channel.js";
export { connectPair, openChannel } from "./connect.js";
export { copyBytes } from "./core/run-pool.js";
export { CENSUS_SPINNING, CENSUS_THREADS, censusBuffer, joinCensus, spinners } from "./dispatcher/census.js";
export {
  configureDispatcher,
  type DispatcherConfig,
  type DispatcherOptions,
  dispatcherConfig,
} from "./dispatcher/config.js";
export {
  type DispatcherStats,
  dispatcherStats,
  type Pollable,
  pollWith,
  useDoorbell,
} from "./dispatcher/dispatcher.js";
export { DOORBELL_BYTES, doorbellAt, ring as ringDoorbell } from "./dispatcher/doorbell.js";
export { measureWakeCostNs } from "./dispatcher/wake-cost.js";
export { type Endpoint, transferList } from "./endpoint.js";
export { isShoalError, ShoalError, type ShoalErrorCode } from "./errors.js";
export type { NameServiceLink } from "./names/messages.js";
export {
  type BindServiceOptions,
  bindService,
  type ExportedService,
  exportService,
  joinNameService,
  nameServiceLink,
  type OnConnect,
} from "./names/name-service.js";
export {
  type ConnectOptions,
  DEFAULT_CREDITS,
  DEFAULT_LINES,
  DEFAULT_RECEIVE_BUDGET,
  DEFAULT_SEND_QUEUE,
} from "./options.js";
export * from "./protocol.js";
export { BindingFaults, describeValue } from "./rpc/binding-faults.js";
export {
  badCallOptions,
  bindTimeout,
  type CallOptions,
  callTimeout,
  PendingCalls,
} from "./rpc/pending-calls.js";
export { connectRegion, failConnection, regionBytes, regionClosed } from "./urpc/region.js";
