/**
 * @shoal/runtime: the transports and the binding seam that generated stubs build on.
 * @packageDocumentation
 */

export { CapRef } from "./caps.js";
export type { Channel, InterfaceInfo, Receiver, Transport, WireMessageInfo } from "./channel.js";
export { isShoalError, ShoalError, type ShoalErrorCode } from "./errors.js";
export * from "./protocol.js";
