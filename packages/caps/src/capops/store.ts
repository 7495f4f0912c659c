/**
 * What the distributed operations need from one core's kernel: the monitor's invocations on its own
 * CSpace and mapping database (Barrelfish's `monitor_*` invocations). The monitor never touches the
 * CTE bytes itself; one implementation adapts the package's CSpace/MDB, the tests may add others.
 *
 * Every query is about objects (type, base, size), not slots: a message names an object, and the
 * receiving core finds its own copies and descendants of it in its MDB.
 */
import type { ErrorCode } from "./protocol.js";
import type { CapRep, CoreId, HeldCap, Relations, RetypeArgs, Slot } from "./types.js";

/** A kernel call's outcome: a value or a stable error code (kernel paths do not throw). */
export type KernelResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: ErrorCode };

/** One core's capabilities, as its monitor sees them. */
export interface CapStore {
  /** The cap in `slot`, or undefined for an empty or invalid slot. */
  lookup(slot: Slot): HeldCap | undefined;
  /** This core's copies of the object `cap` names. */
  copies(cap: CapRep): HeldCap[];
  /** This core's capabilities derived from `cap` (not copies), whether or not it holds `cap` itself. */
  descendants(cap: CapRep): HeldCap[];
  /** This core's capabilities from which `cap` is derived (not copies). */
  ancestors(cap: CapRep): HeldCap[];
  /** Creates a capability from its representation in a free slot (only the monitor may). */
  insert(cap: CapRep, owner: CoreId, relations: Relations): KernelResult<Slot>;
  /** Sets the owner in every local copy of the object. */
  setOwner(cap: CapRep, owner: CoreId): void;
  /** Sets then clears remote-relation bits in every local copy of the object. */
  setRelations(cap: CapRep, set: Relations, clear: Relations): void;
  /**
   * The local checks of a retype (type rule, bounds, this core's descendants in the region), without
   * acting: null if the retype may go ahead as far as this core can tell.
   */
  checkRetype(src: Slot, args: RetypeArgs): ErrorCode | null;
  /**
   * Retypes the cap in `src` with the local checks only (the monitor has done the remote ones);
   * the new capabilities are owned by this core. Returns their slots.
   */
  retype(src: Slot, args: RetypeArgs): KernelResult<Slot[]>;
  /** Copies the cap in `src` to a free slot of this core (a local copy). */
  copy(src: Slot): KernelResult<Slot>;
  /**
   * Empties `slot`. If it held the last copy of its object on this core and `destroy` is true, the
   * object goes (its region becomes free for its parent); with `destroy` false the object lives on
   * elsewhere and only this CTE goes.
   */
  remove(slot: Slot, destroy: boolean): void;
}
