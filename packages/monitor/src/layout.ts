/**
 * The machine's physical memory at boot, as the machine lays it out and every core reads it:
 *
 *   0                 doorbells: 128 bytes per core (Atomics.wait/notify words, as an IPI would ring)
 *   page-aligned      the intermon mesh: one urpc region per pair of cores, MESH_LINES lines each way
 *   page-aligned      RAM: the rest, split into equal page-aligned ranges, one per core
 *
 * Both ends of a mesh channel compute the same offset for it, so the endpoints need no exchange.
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
  const meshBase = pageUp(cores * DOORBELL_BYTES);
  const meshRegionBytes = regionBytes(MESH_LINES);
  const pairs = (cores * (cores - 1)) / 2;
  const ramBase = pageUp(meshBase + pairs * meshRegionBytes);
  const ramPerCore = Math.floor((memoryBytes - ramBase) / cores / PAGE) * PAGE;
  // The core's kernel page, its boot CSpace (32 KiB), and room for a few dispatchers' CSpaces.
  if (ramPerCore < MIN_RAM_PER_CORE)
    throw new RangeError(
      `${memoryBytes} bytes of memory leave ${ramPerCore} bytes of RAM per core for ${cores} cores (at least ${MIN_RAM_PER_CORE / 1024} KiB needed)`,
    );
  return { cores, memoryBytes, meshBase, meshRegionBytes, ramBase, ramPerCore };
}

/** Byte offset of core `k`'s doorbell. */
export function doorbellOffset(k: number): number {
  return k * DOORBELL_BYTES;
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
