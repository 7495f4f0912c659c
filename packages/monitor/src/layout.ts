/**
 * The machine's physical memory at boot, as the machine lays it out and every core reads it:
 *
 *   0                 doorbells: 128 bytes per core (Atomics.wait/notify words, as an IPI would ring)
 *   after them        mesh requests: per core, a bit for every core that opened its end of their channel
 *   page-aligned      the intermon mesh: one urpc region per pair of cores, MESH_LINES lines each way
 *   page-aligned      RAM: the rest, split into equal page-aligned ranges, one per core
 *
 * Both ends of a mesh channel compute the same offset for it, so the endpoints need no exchange. A
 * monitor binds its end of a mesh channel when it first talks to that core, sets its bit in that core's
 * mesh requests and rings its doorbell; the other monitor then binds its own end. A core thus pays only
 * for the peers it talks to, not for N - 1 channels at boot and in every poll.
 */
import { DOORBELL_BYTES, regionBytes } from "@shoal/runtime";

/** Lines per direction of a monitor-to-monitor channel. */
export const MESH_LINES = 16;
const PAGE = 4096;
/** Least RAM a core boots with. */
export const MIN_RAM_PER_CORE = 64 * PAGE;

/** Where everything is in physical memory for a machine of `cores` cores and `memoryBytes` bytes. */
export interface BootLayout {
  readonly cores: number;
  readonly memoryBytes: number;
  readonly requestBase: number;
  /** 32-bit words of mesh requests per core (one bit per core). */
  readonly requestWords: number;
  readonly meshBase: number;
  readonly meshRegionBytes: number;
  readonly ramBase: number;
  readonly ramPerCore: number;
}

function pageUp(n: number): number {
  return Math.ceil(n / PAGE) * PAGE;
}

/** Computes the layout; throws a RangeError when the memory is too small for the cores. */
export function bootLayout(cores: number, memoryBytes: number): BootLayout {
  const requestBase = cores * DOORBELL_BYTES;
  const requestWords = Math.ceil(cores / 32);
  const meshBase = pageUp(requestBase + cores * requestWords * 4);
  const meshRegionBytes = regionBytes(MESH_LINES);
  const pairs = (cores * (cores - 1)) / 2;
  const ramBase = pageUp(meshBase + pairs * meshRegionBytes);
  const ramPerCore = Math.floor((memoryBytes - ramBase) / cores / PAGE) * PAGE;
  // The core's kernel page, its boot CSpace (32 KiB), and room for a few dispatchers' CSpaces.
  if (ramPerCore < MIN_RAM_PER_CORE)
    throw new RangeError(
      `${memoryBytes} bytes of memory leave ${ramPerCore} bytes of RAM per core for ${cores} cores (at least ${MIN_RAM_PER_CORE / 1024} KiB needed)`,
    );
  return { cores, memoryBytes, requestBase, requestWords, meshBase, meshRegionBytes, ramBase, ramPerCore };
}

/** Byte offset of core `k`'s doorbell. */
export function doorbellOffset(k: number): number {
  return k * DOORBELL_BYTES;
}

/** Core `k`'s mesh requests: `layout.requestWords` words, bit j set when core j opened its end. */
export function meshRequests(memory: SharedArrayBuffer, layout: BootLayout, k: number): Int32Array {
  return new Int32Array(memory, layout.requestBase + k * layout.requestWords * 4, layout.requestWords);
}

/** Index of the pair {i, j} (i != j) among all pairs. */
function pairIndex(cores: number, i: number, j: number): number {
  const a = Math.min(i, j);
  const b = Math.max(i, j);
  // Pairs (0,1)..(0,n-1), (1,2).., in order.
  return a * cores - (a * (a + 1)) / 2 + (b - a - 1);
}

/** Byte offset of the mesh region between cores `i` and `j`. */
export function meshOffset(layout: BootLayout, i: number, j: number): number {
  return layout.meshBase + pairIndex(layout.cores, i, j) * layout.meshRegionBytes;
}

/** Core `k`'s RAM. */
export function coreRam(layout: BootLayout, k: number): { base: number; bytes: number } {
  return { base: layout.ramBase + k * layout.ramPerCore, bytes: layout.ramPerCore };
}
