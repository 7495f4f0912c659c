/**
 * The capops store of a booted core: `@shoal/caps`' KernelStore over the core's capability kernel,
 * with what the OS adds around it.
 *
 * - The core's boot RAM cap never gets remote-relation bits. Every frame the core hands out is
 *   retyped from it, and a RAM cap with the Descendants bit may only be retyped through the monitor;
 *   instead the core keeps a region with copies elsewhere out of reuse itself (CoreCaps' shared
 *   regions) until the last copy anywhere is gone.
 * - The last local copy of a mappable object that lives on elsewhere takes this core's mappings of
 *   it along (its page-table entries are cleared and the TLB flushed): a revoke on another core must
 *   cut this core's domains off the memory, not only their CSpace entries.
 * - When this core destroys the last copy anywhere of an object (it was the owner), the object's RAM
 *   goes back: here if it is this core's, else its core is told (intermon capops_ram_freed).
 */
import { capops, removeCte, T, TYPE_MAPPING, typeIdOf } from "@shoal/caps";
import type { CoreCaps } from "@shoal/cpu-driver";

type CapRep = capops.CapRep;

/** What the store tells its monitor. */
export interface OsStoreEvents {
  /** The last copy anywhere of `rep` (owned here) was destroyed. */
  destroyed(rep: CapRep): void;
  /** This core (not the owner) removed its last copy of `rep`, owned by core `owner`. */
  dropped(rep: CapRep, owner: number): void;
}

/** One booted core's capabilities, as its monitor's capops see them. */
export class OsStore extends capops.KernelStore {
  readonly #ram: CoreCaps;
  readonly #events: OsStoreEvents;

  constructor(ram: CoreCaps, pool: capops.SlotPool, events: OsStoreEvents) {
    super(ram.kernel, pool);
    this.#ram = ram;
    this.#events = events;
  }

  override setRelations(cap: CapRep, set: number, clear: number): void {
    const k = this.kernel;
    const ram = this.#ram.ramCte;
    const isBootRam =
      cap.type === "RAM" &&
      k.s.type(ram) === T.RAM &&
      k.s.base(ram) === cap.base &&
      k.s.size(ram) === cap.size;
    if (isBootRam) return;
    super.setRelations(cap, set, clear);
  }

  override remove(slot: number, destroy: boolean): void {
    const held = this.lookup(slot);
    if (held === undefined) return;
    const last = this.copies(held.rep).length === 1;
    const type = typeIdOf(held.rep.type);
    if (!destroy && last && type > 0 && (TYPE_MAPPING[type] ?? 0) !== 0) {
      // A frame's object is its memory, which another core's copy still names: removing the CTE the
      // full way only takes this core's mappings of it along.
      removeCte(this.kernel, slot);
    } else super.remove(slot, destroy);
    if (!last || (TYPE_MAPPING[type] ?? 0) === 0) return;
    if (destroy && held.owner === this.kernel.core) this.#events.destroyed(held.rep);
    else if (!destroy && held.owner !== this.kernel.core) this.#events.dropped(held.rep, held.owner);
  }
}
