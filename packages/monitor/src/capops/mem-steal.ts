/**
 * RAM from another core: when a domain's `frames.alloc` finds its core's RAM exhausted, its monitor
 * asks the other cores' monitors in turn (intermon capops_mem_steal, after Barrelfish's mem.if
 * `steal`). The core that has the RAM retypes a Frame of it into its monitor's CSpace, keeps that
 * copy (so the Frame's owner is the core whose RAM it is) and delivers a copy to the asker through
 * capops' cross-core copy; the asker moves it into the domain's CSpace.
 *
 * The lender's copy is there only to lend: when the borrower's last copy goes (capops_dropped), the
 * lender deletes its own through capops (move_find finds nobody, the Frame is destroyed, the RAM comes
 * back). A copy the borrower passed on elsewhere is found by that delete and takes ownership over.
 */
import { capAddr, capops, isCapError } from "@shoal/caps";
import { OsError } from "@shoal/libshoal";
import type { CapRef } from "@shoal/runtime";
import type { Monitor } from "../core/monitor.js";

/** The lender's side: lent frames by object key, to the CTE of the lender's copy. */
export class MemLender {
  readonly #m: Monitor;
  readonly #lent = new Map<string, number>();

  constructor(m: Monitor) {
    this.#m = m;
  }

  /** Serves capops_mem_steal from core `asker`: the CTE on the asker's core, or why not. */
  async steal(bytes: number, asker: number): Promise<{ cte: number; err: string }> {
    const m = this.#m;
    let cte: number;
    try {
      const region = m.cpu.ram.alloc(bytes);
      cte = m.cpu.ram.cspace.resolve(region.slot) as number;
    } catch (e) {
      return { cte: -1, err: e instanceof Error ? e.message : String(e) };
    }
    const op = m.capops.coordinator.copy(cte, asker);
    try {
      const [slot] = await m.capops.outcome(op);
      const held = m.capops.store.lookup(cte);
      if (held !== undefined) {
        this.#lent.set(capops.capKey(held.rep), cte);
        // Out of this core's reuse until the last copy anywhere is gone (ownership may move).
        m.cpu.ram.markShared(held.rep.base, held.rep.size);
      }
      return { cte: slot ?? -1, err: "" };
    } catch (e) {
      m.capops.store.remove(cte, true);
      return { cte: -1, err: e instanceof Error ? e.message : String(e) };
    }
  }

  /** Core `from` dropped its last copy of `json`'s object: a frame lent only to be given back. */
  dropped(from: number, json: string): void {
    const m = this.#m;
    let rep: capops.CapRep;
    try {
      rep = JSON.parse(json) as capops.CapRep;
    } catch {
      m.log(`capops: core ${from} sent a malformed dropped message`);
      return;
    }
    if (typeof rep !== "object" || rep === null || typeof rep.type !== "string") return;
    const key = capops.capKey(rep);
    const cte = this.#lent.get(key);
    if (cte === undefined) return;
    const held = m.capops.store.lookup(cte);
    if (held === undefined || !capops.sameObject(held.rep, rep)) {
      this.#lent.delete(key);
      return;
    }
    // Still lent out if this core holds another copy (a domain here got one), so keep it.
    if (m.capops.store.copies(rep).length > 1) return;
    this.#lent.delete(key);
    m.capops
      .delete(cte)
      .catch((e: unknown) => m.log(`capops: giving a lent frame back failed: ${String(e)}`));
  }
}

/**
 * The borrower's side: a Frame of at least `bytes` from another live core's RAM, as a new cap of
 * domain `id`. Tries the cores after this one in order; NO_MEMORY when none has the RAM.
 */
export async function stealFrame(m: Monitor, bytes: number, id: number): Promise<CapRef> {
  const reasons: string[] = [];
  const cores = m.boot.layout.cores;
  for (let i = 1; i < cores; i++) {
    const k = (m.core + i) % cores;
    if (m.mesh.isDead(k)) continue;
    let r: { cte: number; err: string };
    try {
      r = await m.peer(k).rpc.capops_mem_steal(BigInt(bytes));
    } catch (e) {
      reasons.push(`core ${k}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (r.err !== "" || r.cte < 0) {
      reasons.push(`core ${k}: ${r.err}`);
      continue;
    }
    // The copy landed in this monitor's transit CSpace (capops' slot pool): move it to the domain.
    const transit = m.cpu.transit;
    const first = transit.caps.cspace.resolve(capAddr(0, 0)) as number;
    const ref = transit.refOf(capAddr(0, r.cte - first));
    try {
      return m.cpu.receiveCap(ref, id);
    } catch (e) {
      throw isCapError(e) ? new OsError(e.code as "NO_MEMORY", e.message, e) : e;
    }
  }
  throw new OsError(
    "NO_MEMORY",
    `no core has ${bytes} bytes of RAM free (${reasons.join("; ") || "no other core"})`,
  );
}
