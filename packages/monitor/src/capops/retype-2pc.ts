/**
 * Retype of a capability with remote relations by two-phase commit between the monitors (issue 16
 * part 4): `@shoal/agreement`'s {@link Participant} and {@link coordinate} (the same code the
 * simulator runs) over intermon (tpc_down / tpc_up), down the boot's shootdown route trees for the
 * set of live cores.
 *
 * - prepare: every core checks that nothing it holds is derived from the source object inside the
 *   region (the initiator runs the kernel's whole retype check), and the Participant locks the object
 *   (the transaction key) against other retypes; wait-die orders conflicting ones.
 * - commit: the initiator creates the new objects in the domain's slots, the others mark their copies
 *   as having remote descendants; abort releases. The effect runs before the Participant releases the
 *   lock, so a retype waiting behind it checks against the new state.
 *
 * A transaction refused CONFLICT (an older one held the object: wait-die's "die") restarts with its
 * original stamp, so it ages into the oldest and cannot starve; one refused by a core's check fails
 * with that core's code (RETYPE_OVERLAP, REVOKE_FIRST). So of concurrent overlapping retypes exactly
 * one wins, and disjoint ones of one object all succeed, one after another; retypes of distinct
 * objects have distinct keys and run at once (several transactions in flight). A core that dies fails
 * the rounds waiting on it (PEER_DIED); the next retype runs over the live cores.
 */
import {
  AgreementNode,
  type Body,
  type CoreEnv,
  coordinate,
  OK,
  Participant,
  type ShootdownError,
  type Txn,
  type Verdict,
} from "@shoal/agreement";
import { capops, decodeRetype, type RetypeRequest, retype, typeName } from "@shoal/caps";
import { OsError, type OsErrorCode } from "@shoal/libshoal";
import type { Monitor } from "../core/monitor.js";
import { intermonEnv, verdictFields } from "../vspace/intermon-env.js";
import { ROUND_TIMEOUT_MS } from "../vspace/shootdown.js";

/** Restarts of a transaction that keeps losing wait-die conflicts before it fails CAP_LOCKED. */
export const MAX_RESTARTS = 255;

const KINDS = ["prepare", "commit", "abort"] as const;

/** A retype this core initiated, waiting for agreement. */
interface Mine {
  readonly src: number;
  readonly req: RetypeRequest;
  readonly dest: number;
  done: boolean;
}

/** Counters for tests and the bench. */
export interface RetypeStats {
  /** Transactions started here (restarts included). */
  proposals: number;
  /** Restarts after a wait-die conflict. */
  restarts: number;
  /** Commits applied on this core (as initiator or participant). */
  commits: number;
}

/** One monitor's part in the two-phase commit of retypes. */
export class MonitorRetype {
  readonly stats: RetypeStats = { proposals: 0, restarts: 0, commits: 0 };
  readonly participant: Participant;
  readonly #m: Monitor;
  readonly #nodes = new Map<string, AgreementNode>();
  readonly #dead = new Set<number>();
  readonly #mine = new Map<string, Mine>();
  /** Transactions prepared (locked) here, by id: their effect runs on commit. */
  readonly #prepared = new Map<string, Txn>();
  #lastStamp = 0;

  constructor(m: Monitor) {
    this.#m = m;
    this.participant = new Participant(m.core, {
      check: (txn) => this.#check(txn),
      apply: () => {},
    });
  }

  /** Transactions in flight on this core (rounds of any root), for tests. */
  get inFlight(): number {
    let n = 0;
    for (const node of this.#nodes.values()) n += node.inFlight;
    return n;
  }

  /** Retypes CTE `src` into `dest`.. once every live core agreed; rejects with a typed OsError. */
  async retype(src: number, req: RetypeRequest, dest: number): Promise<void> {
    const k = this.#m.cpu.ram.kernel;
    // The kernel's own checks first (type, size, range, local overlap): no round for a hopeless retype.
    const local = decodeRetype(k, src, req, dest, { fromMonitor: true });
    if (typeof local !== "number") throw new OsError(local.code as OsErrorCode, local.message);
    const s = k.s;
    const key = capops.capKey({ type: typeName(s.type(src)), base: s.base(src), size: s.size(src) });
    const base = s.base(src) + req.offset;
    const first = this.#stamp();
    let txn: Txn = {
      key,
      action: `retype:${req.type}:${base}:${req.objSize * req.count}`,
      stamp: first,
      core: this.#m.core,
    };
    const mine: Mine = { src, req, dest, done: false };
    try {
      for (let restarts = 0; ; restarts++) {
        // A restart is a new transaction (the participants remember aborted ones) of almost the same
        // age: its stamp moves by one unit of 1/4096 ms per restart, so age still wins.
        this.#mine.delete(idOf(txn));
        txn = { ...txn, stamp: first + restarts };
        this.#mine.set(idOf(txn), mine);
        this.stats.proposals++;
        const err = await this.#propose(txn);
        if (err === undefined) {
          if (!mine.done) throw new OsError("CAP_LOCKED", `retype ${idOf(txn)} committed without its effect`);
          return;
        }
        const reason = err.reason;
        if (
          err.code === "REFUSED" &&
          (reason === "CONFLICT" || reason === "ABORTED") &&
          restarts < MAX_RESTARTS
        ) {
          this.stats.restarts++;
          // Let the older transaction finish (it holds the object somewhere); keep the stamp: age wins.
          await new Promise((r) => setTimeout(r, 1 + Math.random() * 4));
          continue;
        }
        throw toOsError(err);
      }
    } finally {
      this.#mine.delete(idOf(txn));
    }
  }

  #propose(txn: Txn): Promise<ShootdownError | undefined> {
    const live = Array.from({ length: this.#m.boot.layout.cores }, (_, c) => c).filter(
      (c) => c === this.#m.core || !this.#m.mesh.isDead(c),
    );
    const node = this.#node(live.join(","));
    return new Promise((resolve) => coordinate(node, txn, (e) => resolve(e)));
  }

  #stamp(): number {
    // Comparable across cores (the machine's clock in 1/4096 ms, exact in a double until 2039), never
    // reused here, with room for MAX_RESTARTS restarts after it.
    const now = Math.floor((performance.timeOrigin + performance.now()) * 4096);
    this.#lastStamp = Math.max(now, this.#lastStamp + MAX_RESTARTS + 1);
    return this.#lastStamp;
  }

  /** The prepare check: null when this core has nothing derived from the object in the region. */
  #check(txn: Txn): { reason: string; message: string } | null {
    const parsed = parseTxn(txn);
    if (parsed === null) return { reason: "INVALID_ARGUMENT", message: `malformed retype ${idOf(txn)}` };
    const mine = txn.core === this.#m.core ? this.#mine.get(idOf(txn)) : undefined;
    if (mine !== undefined) {
      const r = decodeRetype(this.#m.cpu.ram.kernel, mine.src, mine.req, mine.dest, { fromMonitor: true });
      if (typeof r !== "number") return { reason: r.code, message: r.message };
    } else {
      const why = clash(this.#m.capops.store, parsed.src, parsed.base, parsed.size);
      if (why !== null)
        return {
          reason: why,
          message: `${parsed.base}+${parsed.size} of ${txn.key} is already retyped here`,
        };
    }
    this.#prepared.set(idOf(txn), txn);
    return null;
  }

  /** The commit's effect (before the Participant releases the lock). */
  #commit(txn: Txn): void {
    const id = idOf(txn);
    if (!this.#prepared.delete(id)) return;
    const parsed = parseTxn(txn);
    if (parsed === null) return;
    this.stats.commits++;
    const store = this.#m.capops.store;
    const mine = txn.core === this.#m.core ? this.#mine.get(id) : undefined;
    if (mine === undefined) {
      // A copy here now has descendants elsewhere: its own retypes go through the monitors too.
      if (store.copies(parsed.src).length > 0) store.setRelations(parsed.src, capops.Rel.Descendants, 0);
      return;
    }
    const r = retype(this.#m.cpu.ram.kernel, mine.src, mine.req, mine.dest, { fromMonitor: true });
    if (!r.ok) {
      this.#m.log(`retype 2pc: ${id} agreed but the kernel refused it: ${r.code}`);
      return;
    }
    mine.done = true;
    // The new objects descend from an object other cores hold copies of.
    for (let i = 0; i < mine.req.count; i++) {
      const made = store.lookup(mine.dest + i);
      if (made !== undefined) store.setRelations(made.rep, capops.Rel.Ancestors, 0);
    }
  }

  #local(body: Body, reply: (v: Verdict) => void): void {
    if (body.kind === "invalidate") {
      reply(OK);
      return;
    }
    if (body.kind === "commit") this.#commit(body.txn);
    else if (body.kind === "abort") this.#prepared.delete(idOf(body.txn));
    this.participant.handle(body, reply);
  }

  #node(key: string): AgreementNode {
    const have = this.#nodes.get(key);
    if (have !== undefined) return have;
    const cores = key.split(",").map(Number);
    const node = new AgreementNode(
      this.#env(key),
      this.#m.shootdown.now().source.routes(cores),
      (_root, body, reply) => this.#local(body, reply),
      { timeoutNs: ROUND_TIMEOUT_MS * 1e6 },
    );
    for (const d of this.#dead) if (cores.includes(d)) node.peerDied(d);
    this.#nodes.set(key, node);
    return node;
  }

  #env(key: string): CoreEnv {
    return intermonEnv(this.#m, (p, msg) => {
      if (msg.t === "down") {
        if (msg.body.kind === "invalidate") return;
        const t = msg.body.txn;
        void p.tx
          .tpc_down(
            BigInt(msg.round),
            msg.root,
            msg.forward ? 1 : 0,
            key,
            KINDS.indexOf(msg.body.kind),
            t.key,
            t.action,
            BigInt(t.stamp),
            t.core,
          )
          .catch(() => {});
        return;
      }
      const v = msg.verdict;
      void p.tx.tpc_up(BigInt(msg.round), msg.from, key, ...verdictFields(v)).catch(() => {});
    });
  }

  /** A tpc_down from core `from` (malformed ones are logged and dropped). */
  down(
    from: number,
    round: bigint,
    root: number,
    forward: number,
    cores: string,
    kind: number,
    key: string,
    action: string,
    stamp: bigint,
    core: number,
  ): void {
    const k = KINDS[kind];
    const set = parseCores(cores, this.#m.boot.layout.cores);
    if (k === undefined || set === null || !set.includes(this.#m.core) || !set.includes(root)) {
      this.#m.log(`retype 2pc: dropped a malformed tpc_down from core ${from}`);
      return;
    }
    const txn: Txn = { key, action, stamp: Number(stamp), core };
    this.#node(set.join(",")).receive(from, {
      t: "down",
      round: Number(round),
      root,
      forward: forward !== 0,
      body: { kind: k, txn },
    });
  }

  /** A tpc_up from core `from`. */
  up(
    from: number,
    round: bigint,
    sender: number,
    cores: string,
    ok: number,
    core: number,
    reason: string,
    text: string,
  ): void {
    const set = parseCores(cores, this.#m.boot.layout.cores);
    if (set === null || !set.includes(this.#m.core)) return;
    const verdict: Verdict = ok !== 0 ? OK : { ok: false, core, reason, message: text };
    this.#node(set.join(",")).receive(from, { t: "up", round: Number(round), from: sender, verdict });
  }

  /** Core `core` died: rounds waiting on it fail PEER_DIED; later retypes run without it. */
  peerDied(core: number): void {
    this.#dead.add(core);
    for (const n of this.#nodes.values()) n.peerDied(core);
  }
}

function idOf(txn: Txn): string {
  return `${txn.key}@${txn.stamp}.${txn.core}`;
}

/** The source object and region of a retype transaction, or null if malformed. */
function parseTxn(txn: Txn): { src: capops.CapRep; base: number; size: number } | null {
  const k = /^([A-Za-z0-9_]+)@(\d+)\+(\d+)$/.exec(txn.key);
  const a = /^retype:[A-Za-z0-9_]+:(\d+):(\d+)$/.exec(txn.action);
  if (k === null || a === null) return null;
  const src = { type: k[1] as string, base: Number(k[2]), size: Number(k[3]), rights: 0, badge: 0 };
  return { src, base: Number(a[1]), size: Number(a[2]) };
}

function parseCores(s: string, cores: number): number[] | null {
  const out = s.split(",").map(Number);
  if (out.some((c) => !Number.isInteger(c) || c < 0 || c >= cores)) return null;
  return [...new Set(out)].sort((a, b) => a - b);
}

/**
 * Why this core's objects derived from `src` stand in the way of a new object in [base, base+size):
 * one covering the whole region is REVOKE_FIRST, any other overlap RETYPE_OVERLAP (the kernel's codes).
 */
function clash(store: capops.KernelStore, src: capops.CapRep, base: number, size: number): string | null {
  let code: string | null = null;
  for (const d of store.descendants(src)) {
    if (!capops.overlaps(d.rep.base, d.rep.size, base, size)) continue;
    if (d.rep.base <= base && d.rep.base + d.rep.size >= base + size) return "REVOKE_FIRST";
    code = "RETYPE_OVERLAP";
  }
  return code;
}

function toOsError(e: ShootdownError): OsError {
  if (e.code === "REFUSED") {
    const reason = e.reason ?? "CAP_LOCKED";
    const code = reason === "CONFLICT" || reason === "ABORTED" ? "CAP_LOCKED" : reason;
    return new OsError(code as OsErrorCode, `retype: ${e.message}`, e);
  }
  return new OsError(e.code === "PEER_DIED" ? "PEER_DIED" : "TIMEOUT", `retype: ${e.message}`, e);
}
