/**
 * A simulated machine ready for the protocols: every core with its own store, core 0 holding one
 * RAM capability (the "root" object everything else derives from), plus the bookkeeping the
 * invariant checker needs (which rights each object was created with). Tests and the benchmark
 * build their scenarios on it.
 */
import type { OpOutcome } from "../env.js";
import type { CapStore } from "../store.js";
import { type CapRep, type CoreId, capKey, type Slot } from "../types.js";
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
}

/** A world over reference stores. */
export function referenceWorld(options: WorldOptions): World<ReferenceStore> {
  const sim = new Simulation(
    { cores: options.cores, seed: options.seed, maxDelay: options.maxDelay ?? 0 },
    (core) => new ReferenceStore(core),
  );
  const root: CapRep = {
    type: "RAM",
    base: 0,
    size: options.rootSize ?? 65536,
    rights: options.rootRights ?? 0x1f,
    badge: 0,
  };
  const store = sim.stores[0] as ReferenceStore;
  const r = store.insert(root, 0, 0);
  if (!r.ok) throw new Error("cannot place the root capability");
  const model: Model = { all: (core) => (sim.stores[core] as ReferenceStore).all(), derives };
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
