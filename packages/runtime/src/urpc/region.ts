/**
 * urpc connections over a region of memory the caller owns, such as a Frame of the machine's physical
 * memory that a monitor allocated for a binding and both sides mapped. Their endpoints are plain data
 * (memory, offset, lines: no MessagePort), so they travel inside messages and are opened anywhere the
 * memory is. Doorbells are found in the same memory (each core's doorbell lives there: useDoorbell), and
 * liveness is `closed[side]` in the region's header: a side that closes writes it and rings its peer,
 * and whoever notices that a side's core died (its monitor) calls {@link failConnection}.
 */
import { randomUUID } from "node:crypto";
import { censusBuffer } from "../dispatcher/census.js";
import { doorbellAt, ring } from "../dispatcher/doorbell.js";
import { ENDPOINT_TAG, type UrpcEndpoint } from "../endpoint.js";
import { ShoalError } from "../errors.js";
import { type ConnectOptions, resolveConnectOptions } from "../options.js";
import { CLOSE_DIED, formatRegion, memoryBytes, W_BELL, W_CLOSED } from "./layout.js";

/** Bytes a connection of `lines` lines per direction occupies in a region (header and both rings). */
export function regionBytes(lines: number): number {
  return memoryBytes(lines);
}

/**
 * Lays out a urpc connection at `offset` (a multiple of 64) in `memory` and returns its two endpoints,
 * plain data that may be copied into messages. The region (`regionBytes(lines)` bytes) must stay
 * reserved for the connection until both ends have closed. Options as {@link ConnectOptions}
 * (`credits` does not apply).
 */
export function connectRegion(
  memory: SharedArrayBuffer,
  offset: number,
  options?: ConnectOptions,
): [UrpcEndpoint, UrpcEndpoint] {
  const o = resolveConnectOptions(options);
  if (!(memory instanceof SharedArrayBuffer))
    throw new ShoalError("BAD_OPTION", "connectRegion: memory must be a SharedArrayBuffer");
  if (!Number.isInteger(offset) || offset < 0 || offset % 64 !== 0)
    throw new ShoalError(
      "BAD_OPTION",
      `connectRegion: offset must be a non-negative multiple of 64, got ${offset}`,
    );
  if (offset + memoryBytes(o.lines) > memory.byteLength)
    throw new ShoalError(
      "BAD_OPTION",
      `connectRegion: ${memoryBytes(o.lines)} bytes at offset ${offset} do not fit in ${memory.byteLength}`,
    );
  formatRegion(memory, offset, o.lines);
  const common = {
    tag: ENDPOINT_TAG,
    transport: "urpc",
    id: randomUUID(),
    census: censusBuffer(),
    memory,
    offset,
    lines: o.lines,
    receiveBudget: o.receiveBudget,
    sendQueue: o.sendQueue,
  } as const;
  return [
    { ...common, side: 0 },
    { ...common, side: 1 },
  ];
}

/**
 * Marks side `dead` of the connection at `offset` in `memory` as died (its core is gone) and rings the
 * other side's doorbell, so that end fails with PEER_DIED at its next look. For monitors.
 */
export function failConnection(memory: SharedArrayBuffer, offset: number, dead: 0 | 1): void {
  const w = new Uint32Array(memory, offset, 16);
  Atomics.compareExchange(w, W_CLOSED + dead, 0, CLOSE_DIED);
  const at = Atomics.load(w, W_BELL + 1 - dead);
  if (at !== 0) ring(doorbellAt(memory, at - 1));
}

/**
 * True when side `side` of the connection at `offset` has closed or was marked died (without `side`:
 * both have). A side that closed never touches the region again. For monitors, to know when a
 * channel's memory may be reused.
 */
export function regionClosed(memory: SharedArrayBuffer, offset: number, side?: 0 | 1): boolean {
  const w = new Uint32Array(memory, offset, 16);
  if (side !== undefined) return Atomics.load(w, W_CLOSED + side) !== 0;
  return Atomics.load(w, W_CLOSED) !== 0 && Atomics.load(w, W_CLOSED + 1) !== 0;
}
