/**
 * Whether a doorbell lives in a connection's memory: then the peer finds it in the region's header
 * (connectRegion over a core's physical memory) and no MessagePort is needed to ring it.
 */
import { DOORBELL_PROBE } from "../dispatcher/doorbell.js";

/**
 * True when `bell` is a view of the same memory as `memory`. SharedArrayBuffer objects are not identical
 * across messages even when they share a backing store (a core's doorbell arrives at boot, an endpoint
 * later), so this probes: a fresh value written through one must read back through the other.
 */
export function sharesMemory(bell: Int32Array, memory: SharedArrayBuffer): boolean {
  const buffer = bell.buffer as SharedArrayBuffer;
  if (buffer === memory) return true;
  if (buffer.byteLength !== memory.byteLength) return false;
  const probe = bell.byteOffset / 4 + DOORBELL_PROBE;
  const other = new Int32Array(memory);
  for (let k = 0; k < 2; k++) {
    const nonce = (Math.random() * 0x7fffffff) | 0;
    Atomics.store(bell, DOORBELL_PROBE, nonce);
    if (Atomics.load(other, probe) !== nonce) return false;
  }
  return true;
}
