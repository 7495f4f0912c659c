/**
 * The seam between a core's CPU driver and its monitor's distributed capability operations. The CPU
 * driver acts alone on capabilities that only this core knows of; one with remote relations (copies
 * or descendants on other cores, or owned by another core) needs the other cores to agree, which is
 * the monitor's business (`@shoal/caps` capops over intermon). The monitor installs this on
 * {@link CoreCaps.distributed}; without it (a CPU driver tested alone) such caps stay local.
 */
import type { RetypeRequest } from "@shoal/caps";

/** What the monitor does for the CPU driver. Slots are CTE numbers of the core's capability kernel. */
export interface DistributedCaps {
  /** Deletes the cap in CTE `cte` through the delete protocol (ownership moves if copies live on). */
  delete(cte: number): Promise<void>;
  /** Revokes the cap in CTE `cte` on every core (it stays; every copy and descendant goes). */
  revoke(cte: number): Promise<void>;
  /**
   * The sending half of a cap leaving this core in a message: throws (typed) if the object may not
   * travel now (a delete or revoke holds it), marks it as having remote copies, and returns the id the
   * receiving core acknowledges with ({@link imported}).
   */
  exporting(cte: number): string;
  /** The receiving half: the cap of transfer `transfer` from core `from` is in this core's CSpace. */
  imported(transfer: string, from: number): void;
  /**
   * A dispatcher is torn down while CTE `cte` (with remote relations) is in its CSpace: the monitor
   * takes a copy into its own CSpace and deletes that through the protocol, so the dispatcher's
   * CSpace can go at once.
   */
  adopt(cte: number): void;
  /**
   * Retypes the cap in CTE `cte` (it has remote copies, or is owned elsewhere) into CTEs `destFirst`
   * .. `destFirst + req.count - 1` once the monitors agreed (two-phase commit): rejects typed
   * (RETYPE_OVERLAP, REVOKE_FIRST, CAP_LOCKED, PEER_DIED...) when a core refused or died.
   */
  retype?(cte: number, req: RetypeRequest, destFirst: number): Promise<void>;
}

/** A record of a cap in a message across cores: the kernel's record plus the transfer to acknowledge. */
export interface TransferRecord {
  readonly type: string;
  readonly base: number;
  readonly size: number;
  readonly rights: number;
  readonly badge: number;
  readonly owner: number;
  readonly relations: number;
  /** The transfer id the receiving monitor acknowledges ("" when no monitor tracks it). */
  readonly transfer: string;
  /** The sending core. */
  readonly from: number;
}
