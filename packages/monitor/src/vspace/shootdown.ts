/**
 * TLB shootdown between the monitors: the one-phase commit that makes an unmap or protect of a
 * spanning domain's mapping return only when no core can still translate through the old entry.
 * The home core has already edited the page tables; this runs `@shoal/agreement`'s protocol (the
 * same `ShootdownCore` the simulator runs) over intermon, with a round per operation down the route
 * tree of the boot's protocol for the domain's core set. Each core's local part drops the range's
 * pages from its own core's TLB (INVLPG-style, up to {@link SINGLE_PAGE_FLUSH_CEILING} pages; a
 * longer range flushes it); a core answers its parent once it and its subtree are done, so the
 * root's promise resolves only after every core acknowledged.
 *
 * Broadcast has no shared line here: intermon gives a channel per pair of monitors, so a broadcast
 * round writes its request once per receiver (as the booted-domain runner does) and differs from
 * unicast only in name. A dead core (the machine's interrupt) fails every round waiting on it with
 * PEER_DIED; a round with no answer in {@link ROUND_TIMEOUT_MS} fails with TIMEOUT.
 */
import {
  type CoreEnv,
  isShootdownError,
  OK,
  type Range,
  ShootdownCore,
  type Verdict,
  type Wire,
} from "@shoal/agreement";
import { OsError } from "@shoal/libshoal";
import type { Monitor } from "../core/monitor.js";
import { intermonEnv, verdictFields } from "./intermon-env.js";
import type { RouteSource } from "./routes.js";

/** A round that has not completed in this long fails with TIMEOUT (a death nobody reported). */
export const ROUND_TIMEOUT_MS = 30_000;

/** Counters (tests and the bench read them through ps-like requests later). */
export interface ShootdownStats {
  /** Rounds this core started. */
  rounds: number;
  /** Local parts run (one per round this core took part in). */
  invalidations: number;
  /** Of those, the ones that dropped only the range's pages (the rest flushed the whole TLB). */
  pageInvalidations: number;
}

/**
 * Ranges of up to this many pages are invalidated page by page, longer ones flush the whole TLB
 * (Linux's tlb_single_page_flush_ceiling, 33). In this direct-mapped TLB a range costs at most one
 * pass over its entries either way; what the ceiling keeps is the translations of the core's other
 * pages, which a flush would make every domain of the core walk for again.
 */
export const SINGLE_PAGE_FLUSH_CEILING = 33;

/** One monitor's part in every shootdown. */
export class MonitorShootdown {
  readonly stats: ShootdownStats = { rounds: 0, invalidations: 0, pageInvalidations: 0 };
  readonly #m: Monitor;
  /** One protocol node per trees and core set (a domain's cores), keyed "0,1,3" or "skb:0,1,3". */
  readonly #nodes = new Map<string, ShootdownCore>();
  readonly #dead = new Set<number>();
  /** The route sources by key tag ("": the boot's or the defaults; "skb": the SKB's, once installed). */
  readonly #sources = new Map<string, RouteSource>();
  /** The tag new rounds start under. */
  #tag = "";

  constructor(m: Monitor, source: RouteSource) {
    this.#m = m;
    this.#sources.set("", source);
  }

  /** The route source new rounds use. */
  get source(): RouteSource {
    return this.#sources.get(this.#tag) as RouteSource;
  }

  /** Makes `source` known under `tag`: rounds other cores start over it can pass through this one. */
  install(tag: string, source: RouteSource): void {
    if (tag === "" || tag.includes(":") || tag.includes(",")) throw new Error(`bad route tag ${tag}`);
    if (source.protocol !== this.source.protocol)
      throw new Error(`routes for ${source.protocol}, the shootdown runs ${this.source.protocol}`);
    if (this.#sources.has(tag)) throw new Error(`routes ${tag} are installed already`);
    this.#sources.set(tag, source);
  }

  /** New rounds start over the source installed as `tag` (every core must have installed it). */
  use(tag: string): void {
    if (!this.#sources.has(tag)) throw new Error(`no routes ${tag} installed`);
    this.#tag = tag;
  }

  #node(key: string): ShootdownCore {
    const have = this.#nodes.get(key);
    if (have !== undefined) return have;
    const colon = key.indexOf(":");
    const tag = colon < 0 ? "" : key.slice(0, colon);
    const source = this.#sources.get(tag);
    // Peers' keys are input: an unknown tag or a malformed set is an error of this message only.
    if (source === undefined) throw new Error(`shootdown over unknown routes ${tag}`);
    const cores = key
      .slice(colon + 1)
      .split(",")
      .map(Number);
    const m = this.#m;
    const node = new ShootdownCore(
      this.#env(key),
      source.routes(cores),
      {
        invalidate: (r) => {
          this.stats.invalidations++;
          if (r.pages <= SINGLE_PAGE_FLUSH_CEILING) {
            // The range's pages in every address space of the core (the message names no root).
            this.stats.pageInvalidations++;
            m.cpu.tlb.invalidateRange(r.base, r.pages);
          } else m.cpu.tlb.flush();
        },
      },
      { timeoutNs: ROUND_TIMEOUT_MS * 1e6 },
    );
    for (const d of this.#dead) if (cores.includes(d)) node.node.peerDied(d);
    this.#nodes.set(key, node);
    return node;
  }

  #env(key: string): CoreEnv {
    return intermonEnv(this.#m, (p, msg) => {
      if (msg.t === "down") {
        // Only invalidations travel here (two-phase commit over intermon is the capops work's).
        if (msg.body.kind !== "invalidate") return;
        const r = msg.body.range;
        void p.tx
          .sd_down(BigInt(msg.round), msg.root, msg.forward ? 1 : 0, key, BigInt(r.base), r.pages)
          .catch(() => {});
        return;
      }
      const v = msg.verdict;
      void p.tx.sd_up(BigInt(msg.round), msg.from, key, ...verdictFields(v)).catch(() => {});
    });
  }

  /**
   * Shoots `range` down on every core of `cores` (this one, the root, included); resolves when all
   * acknowledged, rejects with OsError PEER_DIED or TIMEOUT.
   */
  async run(cores: readonly number[], range: Range): Promise<void> {
    const set = [...new Set([this.#m.core, ...cores])].sort((a, b) => a - b).join(",");
    const key = this.#tag === "" ? set : `${this.#tag}:${set}`;
    this.stats.rounds++;
    try {
      await this.#node(key).shootdownAsync(range);
    } catch (e) {
      if (isShootdownError(e))
        throw new OsError(e.code === "PEER_DIED" ? "PEER_DIED" : "TIMEOUT", `shootdown: ${e.message}`, e);
      throw e;
    }
  }

  /** An sd_down from core `from`. */
  down(
    from: number,
    round: bigint,
    root: number,
    forward: number,
    key: string,
    base: bigint,
    pages: number,
  ): void {
    const msg: Wire = {
      t: "down",
      round: Number(round),
      root,
      forward: forward !== 0,
      body: { kind: "invalidate", range: { base: Number(base), pages } },
    };
    this.#receive(from, key, msg);
  }

  /** An sd_up from core `from`. */
  up(
    from: number,
    round: bigint,
    sender: number,
    key: string,
    ok: number,
    core: number,
    reason: string,
    text: string,
  ): void {
    const verdict: Verdict = ok !== 0 ? OK : { ok: false, core, reason, message: text };
    this.#receive(from, key, { t: "up", round: Number(round), from: sender, verdict });
  }

  /** A peer's message: one naming routes or cores this core does not know is logged and dropped. */
  #receive(from: number, key: string, msg: Wire): void {
    let node: ShootdownCore;
    try {
      node = this.#node(key);
    } catch (e) {
      this.#m.log(`shootdown: dropped a message from core ${from}: ${(e as Error).message}`);
      return;
    }
    node.node.receive(from, msg);
  }

  /** Core `core` died: every round waiting on it fails (at its root) or is dropped. */
  peerDied(core: number): void {
    this.#dead.add(core);
    for (const n of this.#nodes.values()) n.node.peerDied(core);
  }
}
