/**
 * Boot of one core's capability system (after Barrelfish's `create_caps` for init): the core's
 * memory region becomes a PhysAddr cap and a RAM cap under it; the root CNode and the first L2
 * CNode are retyped from its first 32 KiB; the rest of the RAM, the PhysAddr, and the kernel-made
 * tokens (Kernel, IRQTable, IPI, IO ports) are placed in well-known slots of the new CSpace.
 */

import { capAddr } from "../cspace/address.js";
import { CTE_SIZE, L2_CNODE_BYTES } from "../cspace/cte-layout.js";
import { CapError, type CapResult, unwrap } from "../errors.js";
import { copy } from "../ops/copy.js";
import { retype } from "../ops/retype.js";
import { BASE_PAGE_SIZE, type PhysicalMemory } from "../physmem/physical-memory.js";
import { RIGHTS_ALL } from "../types/rights.js";
import { T, typeId } from "../types/rules.js";
import { CapKernel } from "./cap-kernel.js";
import { CSpace } from "./cspace.js";

/** Slots of the first L2 CNode (root slot 0) after boot. */
export const BOOT_SLOTS = {
  /** A copy of the root CNode cap. */
  rootCNode: capAddr(0, 0),
  /** The core's whole region as PhysAddr. */
  physAddr: capAddr(0, 1),
  /** The RAM left after the boot CNodes (the region minus its first 32 KiB). */
  ram: capAddr(0, 2),
  /** The Kernel token. */
  kernel: capAddr(0, 3),
  /** The IRQTable token. */
  irqTable: capAddr(0, 4),
  /** The IPI token. */
  ipi: capAddr(0, 5),
  /** I/O ports 0..65535. */
  io: capAddr(0, 6),
  /** The first slot boot leaves empty. */
  firstFree: capAddr(0, 16),
} as const;

/** Kernel CTEs used by boot. */
export const KERNEL_SLOT_ROOT = 0;
/** The boot PhysAddr cap. */
export const KERNEL_SLOT_PHYS = 1;
/** The boot RAM cap. */
export const KERNEL_SLOT_RAM = 2;

/** Options of {@link bootCore}. */
export interface BootOptions {
  /** This core's number. */
  readonly core: number;
  /** A 4 KiB page for the kernel's own CTEs, outside `ram`. */
  readonly kernelPage: number;
  /** The core's memory region (4 KiB-aligned, at least 64 KiB). */
  readonly ram: { readonly base: number; readonly size: number };
}

/** A booted core: its kernel and the initial CSpace. */
export interface BootedCore {
  readonly kernel: CapKernel;
  readonly cspace: CSpace;
}

/** Boots one core's capability system over `mem`. Throws a CapError on bad options. */
export function bootCore(mem: PhysicalMemory, options: BootOptions): BootedCore {
  const { base, size } = options.ram;
  if (
    !mem.contains(base, size) ||
    base % BASE_PAGE_SIZE !== 0 ||
    size % BASE_PAGE_SIZE !== 0 ||
    size < 65536
  ) {
    throw new CapError(
      "OUT_OF_RANGE",
      `ram [${base}, +${size}) must be 4 KiB-aligned, >= 64 KiB, inside memory`,
    );
  }
  const kp = options.kernelPage;
  if (kp + BASE_PAGE_SIZE > base && kp < base + size) {
    throw new CapError("RETYPE_OVERLAP", "the kernel page lies inside the core's RAM");
  }
  const k = new CapKernel(mem, { core: options.core, kernelPage: kp });
  mem.zero(kp, BASE_PAGE_SIZE);
  const s = k.s;
  const phys = k.kernelSlot(KERNEL_SLOT_PHYS);
  const ram = k.kernelSlot(KERNEL_SLOT_RAM);
  const root = k.kernelSlot(KERNEL_SLOT_ROOT);
  s.write(phys, T.PhysAddr, base, size, RIGHTS_ALL, 0, k.core);
  k.mdb.insert(phys);
  s.write(ram, T.RAM, base, size, RIGHTS_ALL, 0, k.core);
  k.mdb.insert(ram);
  const cnode = { type: "CNode", objSize: L2_CNODE_BYTES, count: 1 } as const;
  must(retype(k, ram, { ...cnode, offset: 0 }, root));
  must(retype(k, ram, { ...cnode, offset: L2_CNODE_BYTES }, s.base(root) / CTE_SIZE));
  const cs = new CSpace(k, root);
  const slot = (addr: number): number => {
    const c = cs.resolve(addr);
    if (typeof c !== "number") throw new CapError(c.code, c.message);
    return c;
  };
  must(copy(k, root, slot(BOOT_SLOTS.rootCNode)));
  must(copy(k, phys, slot(BOOT_SLOTS.physAddr)));
  must(
    retype(
      k,
      ram,
      { type: "RAM", offset: 2 * L2_CNODE_BYTES, objSize: size - 2 * L2_CNODE_BYTES, count: 1 },
      slot(BOOT_SLOTS.ram),
    ),
  );
  const token = (addr: number, type: number, b: number, z: number): void => {
    const c = slot(addr);
    s.write(c, type, b, z, RIGHTS_ALL, 0, k.core);
    k.mdb.insert(c);
  };
  token(BOOT_SLOTS.kernel, typeId("Kernel"), 0, 0);
  token(BOOT_SLOTS.irqTable, typeId("IRQTable"), 0, 0);
  token(BOOT_SLOTS.ipi, typeId("IPI"), 0, 0);
  token(BOOT_SLOTS.io, typeId("IO"), 0, 65536);
  return { kernel: k, cspace: cs };
}

function must(r: CapResult<undefined>): void {
  unwrap(r);
}
