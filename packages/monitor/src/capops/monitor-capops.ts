/**
 * A monitor's distributed capability operations: `@shoal/caps`' CapCoordinator over this core's
 * capability kernel (OsStore) and the intermon mesh (one `capops` message per protocol message), and
 * the CPU driver's {@link DistributedCaps}: what a domain's delete, revoke, cap send and exit need
 * when a cap has copies on other cores.
 *
 * Caps in a binding's message travel as the sending kernel's record in the message (urpc's
 * CTRL_CAPS run), not as a copy_deliver over intermon: the message and its caps must arrive together
 * and in the binding's order. The protocols' rule for a copy on its way (a revoke may commit only
 * when no copy of a marked object is travelling) is kept by counting each such record as a delivery
 * of the sending core until the receiving monitor acknowledges it (capops_delivered), and a delete or
 * revoke started on the sending core waits for its own records of the object to arrive first (the
 * FIFO order that copy_deliver would have had with the later move_find or revoke_mark).
 *
 * A core that dies: operations waiting for it fail with PEER_DIED (CapCoordinator.abandon); later
 * operations get the dead core's answers from here (it holds no capability any more: found nothing,
 * ready, swept), so that one dead core does not fail every later delete and revoke.
 */
import { capAddr, capops, type RetypeRequest } from "@shoal/caps";
import type { CoreCaps, DistributedCaps } from "@shoal/cpu-driver";
import { OsError } from "@shoal/libshoal";
import type { Monitor } from "../core/monitor.js";
import { coreRam } from "../layout.js";
import { OsStore } from "./os-store.js";
import { parseCapMessage } from "./wire.js";

type CapMessage = capops.CapMessage;
type OpId = capops.OpId;

/** How long a record of a cap in a binding's message may travel unacknowledged (its binding may never be read). */
export const DELIVERY_TIMEOUT_MS = 5_000;

interface Waiter {
  readonly resolve: (slots: readonly number[]) => void;
  readonly reject: (e: Error) => void;
}

/** One core's capops. */
export class MonitorCapops implements DistributedCaps {
  readonly coordinator: capops.CapCoordinator;
  readonly store: OsStore;
  readonly #m: Monitor;
  readonly #ram: CoreCaps;
  #handler: (from: number, msg: CapMessage) => void = () => {};
  readonly #waiting = new Map<OpId, Waiter>();
  readonly #early = new Map<OpId, capops.OpOutcome>();
  /** Transfers in binding messages not yet acknowledged, by id: their waiters (deletes, revokes). */
  readonly #travelling = new Map<string, { rep: capops.CapRep; waiters: (() => void)[] }>();
  #seq = 0;
  /** Malformed capops messages received. */
  dropped = 0;

  constructor(m: Monitor) {
    this.#m = m;
    this.#ram = m.cpu.ram;
    const transit = m.cpu.transit.caps.cspace;
    // The monitor's CSpace for caps in flight: its first L2 CNode, past the well-known slots.
    const first = transit.resolve(capAddr(0, 8));
    if (typeof first !== "number") throw new Error(`core ${m.core}: no transit CNode for capops`);
    this.store = new OsStore(
      this.#ram,
      { first, count: 248 },
      {
        destroyed: (rep) => this.#destroyed(rep),
        dropped: (rep, owner) => this.#tx(owner, (b) => b.tx.capops_dropped(JSON.stringify(rep))),
      },
    );
    const cores = Array.from({ length: m.boot.layout.cores }, (_, k) => k);
    const link: capops.CapLink = {
      self: m.core,
      cores,
      send: (to, msg) => this.#send(to, msg),
      onMessage: (h) => {
        this.#handler = h;
      },
    };
    this.coordinator = new capops.CapCoordinator(link, this.store);
    this.coordinator.onComplete((o) => this.#completed(o));
    this.#ram.distributed = this;
  }

  // ---- the CPU driver's half (DistributedCaps) ----

  delete(cte: number): Promise<void> {
    return this.#afterTravel(cte, () => this.#run(() => this.coordinator.delete(cte)));
  }

  revoke(cte: number): Promise<void> {
    return this.#afterTravel(cte, () => this.#run(() => this.coordinator.revoke(cte)));
  }

  retype(cte: number, req: RetypeRequest, destFirst: number): Promise<void> {
    // Two-phase commit between the monitors (capops/retype-2pc.ts), not the owner-ordered capops retype.
    return this.#m.retypes.run((r) => r.retype(cte, req, destFirst));
  }

  exporting(cte: number): string {
    const held = this.store.lookup(cte);
    if (held === undefined) throw new OsError("CAP_NOT_FOUND", "the slot is empty");
    const why = capops.busy(this.coordinator.env, held);
    if (why !== null)
      throw new OsError(why as "CAP_IN_REVOKE", `the ${held.rep.type} cap cannot travel now: ${why}`);
    this.store.setRelations(held.rep, capops.Rel.Copies, 0);
    this.#seq += 1;
    const id = `${this.#m.core}:-${this.#seq}` as OpId;
    this.coordinator.env.deliveries.set(id, held.rep);
    this.#travelling.set(id, { rep: held.rep, waiters: [] });
    // A record whose message is never read (its binding closed first) must not hold revokes forever.
    setTimeout(() => this.#arrived(id), DELIVERY_TIMEOUT_MS).unref?.();
    return id;
  }

  imported(transfer: string, from: number): void {
    if (from === this.#m.core || !Number.isInteger(from)) return;
    this.#tx(from, (b) => b.tx.capops_delivered(transfer.slice(0, 64)));
  }

  adopt(cte: number): void {
    const r = this.store.copy(cte);
    if (!r.ok) {
      this.#m.log(`capops: a dying domain's cap could not be handed to the monitor: ${r.code}`);
      return;
    }
    // After the dispatcher's CSpace is gone (it goes synchronously after this): then this copy is the
    // core's last, and the delete protocol moves ownership or frees the object.
    const slot = r.value;
    queueMicrotask(() => {
      this.delete(slot).catch((e: unknown) =>
        this.#m.log(
          `capops: deleting a dying domain's cap failed: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    });
  }

  // ---- the mesh's half ----

  /** An intermon `capops` message from core `from`. */
  onMessage(from: number, json: string): void {
    const msg = parseCapMessage(json);
    if (typeof msg === "string") {
      this.dropped += 1;
      this.#m.log(`capops: dropped a message from core ${from}: ${msg}`);
      return;
    }
    this.#handler(from, msg);
  }

  /** Core `from` acknowledged a transfer of this core. */
  onDelivered(transfer: string): void {
    this.#arrived(transfer as OpId);
  }

  /** Core `from` destroyed the last copy of an object in this core's RAM. */
  onRamFreed(from: number, base: bigint, bytes: bigint): void {
    const b = Number(base);
    const n = Number(bytes);
    if (!this.#ram.holds(b) || !this.#ram.holds(b + n - 1)) {
      this.#m.log(`capops: core ${from} freed ${n} bytes at ${b}, which are not this core's RAM`);
      return;
    }
    this.#ram.reclaim(b, n);
  }

  /** Core `core` died: what waits for it fails; it answers nothing any more. */
  coreDied(core: number): void {
    this.coordinator.abandon(core);
  }

  // ---- inside ----

  #send(to: number, msg: CapMessage): void {
    if (this.#m.mesh.isDead(to)) {
      // A dead core holds no capability: answer for it (asynchronously, as a reply would come).
      const reply = deadCoreReply(msg);
      if (reply !== null) queueMicrotask(() => this.#handler(to, reply));
      return;
    }
    this.#tx(to, (b) => b.tx.capops(JSON.stringify(msg)));
  }

  #tx(to: number, send: (b: ReturnType<Monitor["peer"]>) => Promise<void>): void {
    let b: ReturnType<Monitor["peer"]>;
    try {
      b = this.#m.peer(to);
    } catch {
      return;
    }
    send(b).catch(() => {
      // The peer died meanwhile: coreDied abandons what waited for it.
    });
  }

  #arrived(id: OpId): void {
    const t = this.#travelling.get(id);
    if (t === undefined) return;
    this.#travelling.delete(id);
    this.coordinator.env.deliveries.delete(id);
    this.coordinator.poke();
    for (const fn of t.waiters) fn();
  }

  /** Runs `start` once no record of the object in `cte` sent from here is still on its way. */
  #afterTravel(cte: number, start: () => Promise<void>): Promise<void> {
    const held = this.store.lookup(cte);
    const t =
      held === undefined
        ? undefined
        : [...this.#travelling.values()].find((x) => capops.sameObject(x.rep, held.rep));
    if (t === undefined) return start();
    return new Promise<void>((resolve) => t.waiters.push(resolve)).then(() => this.#afterTravel(cte, start));
  }

  #run(start: () => OpId): Promise<void> {
    return this.outcome(start()).then(() => undefined);
  }

  /** Waits for operation `op` of this core (started just now): its slots, or its typed failure. */
  outcome(op: OpId): Promise<readonly number[]> {
    const early = this.#early.get(op);
    if (early !== undefined) {
      this.#early.delete(op);
      return early.ok ? Promise.resolve(early.slots) : Promise.reject(failure(early));
    }
    return new Promise((resolve, reject) => this.#waiting.set(op, { resolve, reject }));
  }

  #completed(o: capops.OpOutcome): void {
    const w = this.#waiting.get(o.op);
    if (w === undefined) {
      // Finished inside start(), before #run could wait for it.
      if (capops.opOrigin(o.op) === this.#m.core) this.#early.set(o.op, o);
      return;
    }
    this.#waiting.delete(o.op);
    if (o.ok) w.resolve(o.slots);
    else w.reject(failure(o));
  }

  #destroyed(rep: capops.CapRep): void {
    if (this.#ram.holds(rep.base)) {
      this.#ram.reclaim(rep.base, rep.size);
      return;
    }
    const layout = this.#m.boot.layout;
    for (let k = 0; k < layout.cores; k++) {
      const r = coreRam(layout, k);
      if (rep.base >= r.base && rep.base < r.base + r.bytes) {
        this.#tx(k, (b) => b.tx.capops_ram_freed(BigInt(rep.base), BigInt(rep.size)));
        return;
      }
    }
  }
}

function failure(o: capops.OpOutcome & { ok: false }): OsError {
  const what = o.code === "PEER_DIED" ? "a core it waited for died" : "refused";
  return new OsError(o.code as "PEER_DIED", `the distributed ${o.kind} ${o.op} failed: ${what} (${o.code})`);
}

/** What a dead core would answer to `msg`, holding nothing: null when no answer is due. */
function deadCoreReply(msg: CapMessage): CapMessage | null {
  const op = msg.op;
  switch (msg.kind) {
    case "move_find":
      return { kind: "move_found", op, found: false };
    case "move_transfer":
      return { kind: "move_transferred", op, accepted: false };
    case "revoke_mark":
      return { kind: "revoke_ready", op };
    case "revoke_commit":
      return { kind: "revoke_done", op };
    case "retype_check":
      return { kind: "retype_checked", op, error: null };
    case "copy_deliver":
      return { kind: "copy_delivered", op, error: "PEER_DIED", slot: -1 };
    case "copy_request":
      return { kind: "copy_result", op, error: "PEER_DIED", slot: -1 };
    case "retype_request":
      return { kind: "retype_result", op, error: "PEER_DIED" };
    case "retrieve_request":
      return { kind: "retrieve_result", op, error: "PEER_DIED", relations: 0 };
    default:
      return null;
  }
}
