/** Test fixtures: a booted core over a small memory. */
import { BOOT_SLOTS, type BootedCore, bootCore } from "../src/kernel/boot.js";
import { PhysicalMemory } from "../src/physmem/physical-memory.js";

/** 16 MiB of memory; the kernel page at 0, the core's RAM from 64 KiB. */
export function bootSmall(size = 16 * 1024 * 1024): BootedCore & { mem: PhysicalMemory } {
  const mem = new PhysicalMemory({ size });
  const booted = bootCore(mem, { core: 0, kernelPage: 0, ram: { base: 65536, size: size - 65536 } });
  return { ...booted, mem };
}

/** Base of the boot RAM cap (after the two boot CNodes). */
export const RAM_BASE = 65536 + 32768;

export { BOOT_SLOTS };
