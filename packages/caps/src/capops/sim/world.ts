/**
 * A simulated machine ready for the protocols: every core with its own store, core 0 holding one
 * RAM capability (the "root" object everything else derives from), plus the bookkeeping the
 * invariant checker needs (which rights each object was created with). Tests and the benchmark
 * build their scenarios on it.
 */

import { CapKernel } from "../../kernel/cap-kernel.js";
import { PhysicalMemory } from "../../physmem/physical-memory.js";
import type { OpOutcome } from "../env.js";
import { KernelStore } from "../local-store.js";
import type { CapStore } from "../store.js";
import { type CapRep, type CoreId, capKey, type Slot } from "../types.js";
import { derivesByTable } from "./derives.js";
import type { Model } from "./invariants.js";
import { derives, ReferenceStore } from "./reference-store.js";
import { Simulation } from "./simulator.js";

/** A store the checker can enumerate. */
export interface Enumerable extends CapStore {
  all(): ReturnType<CapStore["copies"]>;
}

/** The machine, its model for the checker, and what was created with which rights. */
export interface World<S extends Enumerable> {
  readonly sim: Simulation<S>;
  readonly model: Model;
  /** Rights each object was created with, by key. */
  readonly created: Map<string, number>;
  /** The RAM object core 0 starts with, and its slot there. */
  readonly root: CapRep;
  readonly rootSlot: Slot;
}

/** Settings of a world. */
export interface WorldOptions {
  readonly cores: number;
  readonly seed: number;
  readonly maxDelay?: number;
  /** Size of the root RAM object in bytes (default 64 KiB). */
  readonly rootSize?: number;
  /** Rights of the root (default all). */
  readonly rootRights?: number;
  /**
   * Kernel worlds only: reuse (zeroed) the physical memories of the previous recycling world instead
   * of allocating new SharedArrayBuffers; that world must not be used any more. Property tests build
   * thousands of worlds one after another.
   */
  readonly recycle?: boolean;
}

/** Which stores the cores get: the reference model, or the package's real kernel per core. */
export type StoreKind = "reference" | "kernel";

/** A world over reference stores. */
export function referenceWorld(options: WorldOptions): World<ReferenceStore> {
  return buildWorld(options, (core) => new ReferenceStore(core), derives);
}

/** A world where every core has its own PhysicalMemory and capability kernel. */
export function kernelWorld(options: WorldOptions): World<KernelStore> {
  const bytes = Math.ceil(((options.rootSize ?? 65536) + ROOT_BASE) / 4096) * 4096;
  return buildWorld(
    options,
    (core) => kernelStore(core, memoryFor(core, bytes, options.recycle === true)),
    derivesByTable,
  );
}

/** A world of either kind. */
export function makeWorld(kind: StoreKind, options: WorldOptions): World<Enumerable> {
  return kind === "kernel" ? kernelWorld(options) : referenceWorld(options);
}

/** Where the root object starts in each core's memory (below: the kernel page and the slot pool). */
const ROOT_BASE = 128 * 1024;
const POOL_FIRST_CTE = 64;
const POOL_CTES = 1024;

const recycled: PhysicalMemory[] = [];

function memoryFor(core: CoreId, bytes: number, recycle: boolean): PhysicalMemory {
  if (!recycle) return new PhysicalMemory({ size: bytes });
  let mem = recycled[core];
  if (mem?.size === bytes) mem.u32.fill(0);
  else {
    mem = new PhysicalMemory({ size: bytes });
    recycled[core] = mem;
  }
  return mem;
}

function kernelStore(core: CoreId, mem: PhysicalMemory): KernelStore {
  const kernel = new CapKernel(mem, { core, kernelPage: 0 });
  return new KernelStore(kernel, { first: POOL_FIRST_CTE, count: POOL_CTES });
}

function buildWorld<S extends Enumerable>(
  options: WorldOptions,
  makeStore: (core: CoreId) => S,
  derivesFn: (parent: CapRep, child: CapRep) => boolean,
): World<S> {
  const sim = new Simulation(
    { cores: options.cores, seed: options.seed, maxDelay: options.maxDelay ?? 0 },
    makeStore,
  );
  const root: CapRep = {
    type: "RAM",
    base: ROOT_BASE,
    size: options.rootSize ?? 65536,
    rights: options.rootRights ?? 0x1f,
    badge: 0,
  };
  const r = (sim.stores[0] as S).insert(root, 0, 0);
  if (!r.ok) throw new Error(`cannot place the root capability: ${r.code}`);
  const model: Model = { all: (core) => (sim.stores[core] as S).all(), derives: derivesFn };
  return track({ sim, model, created: new Map([[capKey(root), root.rights]]), root, rootSlot: r.value });
}

/** Records the rights of objects that retypes create, so the rights check knows them. */
function track<S extends Enumerable>(world: World<S>): World<S> {
  for (const [core, c] of world.sim.coordinators.entries()) {
    c.onComplete((o: OpOutcome) => {
      if (!o.ok || o.kind !== "retype") return;
      for (const slot of o.slots) {
        const held = world.sim.stores[core]?.lookup(slot);
        if (held && !world.created.has(capKey(held.rep)))
          world.created.set(capKey(held.rep), held.rep.rights);
      }
    });
  }
  return world;
}

/** Copies the root from core 0 to each of `cores` and runs until quiet; returns each core's slot. */
export function spreadRoot<S extends Enumerable>(
  world: World<S>,
  cores: readonly CoreId[],
): Map<CoreId, Slot> {
  const slots = new Map<CoreId, Slot>([[0, world.rootSlot]]);
  const ops = cores
    .filter((c) => c !== 0)
    .map((c) => [c, world.sim.start(0, (k) => k.copy(world.rootSlot, c))] as const);
  world.sim.run();
  for (const [core, op] of ops) {
    const o = world.sim.outcomes.get(op)?.outcome;
    if (!o?.ok || o.slots[0] === undefined) throw new Error(`spreading the root to core ${core} failed`);
    slots.set(core, o.slots[0]);
  }
  return slots;
}
