/** The dispatchers of one core, by id. */
import { KernelError } from "../errors.js";
import { Dcb } from "./dcb.js";

/** Ids are unique system-wide: core << 20 | a per-core counter. */
const ID_SHIFT = 20;

/** The dispatcher table of one core. */
export class DispatcherTable {
  readonly core: number;
  readonly #all = new Map<number, Dcb>();
  #next = 1;

  constructor(core: number) {
    this.core = core;
  }

  /** Creates the control block of a new dispatcher. */
  create(name: string, parent: number): Dcb {
    const id = this.core * 2 ** ID_SHIFT + this.#next++;
    const dcb = new Dcb(id, name, this.core, parent);
    this.#all.set(id, dcb);
    return dcb;
  }

  get(id: number): Dcb {
    const d = this.#all.get(id);
    if (d === undefined)
      throw new KernelError("NO_SUCH_DISPATCHER", `core ${this.core} has no dispatcher ${id}`);
    return d;
  }

  has(id: number): boolean {
    return this.#all.has(id);
  }

  /** Every dispatcher, finished ones included (ps shows them until they are reaped). */
  list(): Dcb[] {
    return [...this.#all.values()];
  }

  /** Forgets finished dispatchers. */
  reap(): void {
    for (const [id, d] of this.#all) if (d.finished) this.#all.delete(id);
  }
}

/** The core a dispatcher id belongs to. */
export function coreOfDispatcher(id: number): number {
  return Math.floor(id / 2 ** ID_SHIFT);
}
