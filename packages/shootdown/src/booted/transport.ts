/**
 * The protocol's {@link CoreEnv} over Flounder bindings of `shootdown.if`: how a shootdown domain on a
 * booted core talks to its peers. Each domain holds one client binding to every other domain's
 * export (lrpc when they share a core, urpc over a channel in physical memory otherwise) and sends
 * on it; what arrives on its own export is handed to {@link BindingTransport.deliver}.
 *
 * Broadcast: the Domain API gives channels between pairs of domains, never one line that many
 * receivers poll, so `publish` writes the message once per receiver, on each receiver's channel, in
 * the order the receivers are given (the sender pays one write per receiver, serially, and each
 * receiver reads its own line, as the paper's cost model charges broadcast for the serial line
 * fetches). On booted cores broadcast therefore costs what unicast costs, plus nothing: the
 * difference the simulator shows (a contended shared line) cannot appear here.
 */

import type { Body, CoreEnv, Timer, Verdict, Wire } from "@shoal/agreement";
import { ShootdownError } from "../errors.js";
import type { ShootdownRx, ShootdownTx } from "../gen/shootdown.js";

/** The send side of one peer's binding, and whether it still works. */
export interface PeerLink {
  readonly tx: ShootdownTx;
  readonly closed: boolean;
}

/** What the transport counts (the tests check them). */
export interface TransportStats {
  /** Up messages sent (acks and votes), by round. */
  readonly upsByRound: Map<number, number>;
  /** Sends that failed (a peer gone): they are dropped, the round fails through peerDied or TIMEOUT. */
  sendFailures: number;
}

const REFUSAL_TEXT = 500;

/** A {@link CoreEnv} for one booted core, over the bindings to its peers. */
export class BindingTransport {
  readonly core: number;
  readonly stats: TransportStats = { upsByRound: new Map(), sendFailures: 0 };
  readonly #peers = new Map<number, PeerLink>();
  /** The body kind of each round this core has seen going down, so that its answer is an ack or a vote. */
  readonly #kinds = new Map<number, Body["kind"]>();
  #receive: ((from: number, msg: Wire) => void) | undefined;

  constructor(core: number) {
    this.core = core;
  }

  /** Adds the binding to `peer`. */
  addPeer(peer: number, link: PeerLink): void {
    this.#peers.set(peer, link);
  }

  /** The send side of the binding to `peer`, unless it is gone. */
  peerTx(peer: number): ShootdownTx | undefined {
    const link = this.#peers.get(peer);
    return link === undefined || link.closed ? undefined : link.tx;
  }

  /** Where decoded messages go (the node's receive). */
  onReceive(receive: (from: number, msg: Wire) => void): void {
    this.#receive = receive;
  }

  /** Hands a message that arrived on this core's export to the protocol. */
  deliver(from: number, msg: Wire): void {
    if (msg.t === "down" && msg.forward) this.#kinds.set(msg.round, msg.body.kind);
    this.#receive?.(from, msg);
  }

  #send(to: number, msg: Wire): void {
    const link = this.#peers.get(to);
    if (link === undefined) {
      throw new ShootdownError("BAD_ROUTES", `core ${this.core} has no binding to core ${to}`, { core: to });
    }
    if (link.closed) {
      this.stats.sendFailures++;
      return;
    }
    const sent = msg.t === "down" ? this.#sendDown(link.tx, msg) : this.#sendUp(link.tx, msg);
    // A peer that died meanwhile rejects the send; its death reaches the node through the binding.
    sent.catch(() => {
      this.stats.sendFailures++;
    });
  }

  #sendDown(tx: ShootdownTx, msg: Extract<Wire, { t: "down" }>): Promise<void> {
    if (msg.root === this.core && msg.forward) this.#kinds.set(msg.round, msg.body.kind);
    const fwd = msg.forward ? 1 : 0;
    const b = msg.body;
    if (b.kind === "invalidate") {
      return tx.invalidate(this.core, msg.round, msg.root, fwd, BigInt(b.range.base), b.range.pages);
    }
    const t = b.txn;
    return tx[b.kind](this.core, msg.round, msg.root, fwd, t.key, t.action, BigInt(t.stamp), t.core);
  }

  #sendUp(tx: ShootdownTx, msg: Extract<Wire, { t: "up" }>): Promise<void> {
    const ups = this.stats.upsByRound;
    ups.set(msg.round, (ups.get(msg.round) ?? 0) + 1);
    const kind = this.#kinds.get(msg.round);
    this.#kinds.delete(msg.round);
    const v = msg.verdict;
    const [ok, core, reason, text] = v.ok
      ? [1, 0, "", ""]
      : [0, v.core, v.reason.slice(0, 60), v.message.slice(0, REFUSAL_TEXT)];
    return kind === undefined || kind === "invalidate"
      ? tx.ack(this.core, msg.round, ok, core, reason, text)
      : tx.vote(this.core, msg.round, ok, core, reason, text);
  }

  /** The protocol's view of this core. */
  env(): CoreEnv {
    return {
      core: this.core,
      send: (to, msg) => this.#send(to, msg),
      publish: (to, msg) => {
        for (const c of to) this.#send(c, msg);
      },
      now: () => performance.now() * 1e6,
      setTimer: (delayNs, fire): Timer => {
        const t = setTimeout(fire, Math.max(0, delayNs / 1e6));
        return { cancel: () => clearTimeout(t) };
      },
    };
  }
}

/** An up message from the fields of an ack or a vote. */
export function upWire(
  from: number,
  round: number,
  ok: number,
  core: number,
  reason: string,
  text: string,
): Wire {
  const verdict: Verdict = ok !== 0 ? { ok: true } : { ok: false, core, reason, message: text };
  return { t: "up", round, from, verdict };
}

/** A 2PC down message from the fields of a prepare, commit or abort. */
export function txnWire(
  kind: "prepare" | "commit" | "abort",
  round: number,
  root: number,
  forward: number,
  key: string,
  action: string,
  stamp: bigint,
  core: number,
): Wire {
  return {
    t: "down",
    round,
    root,
    forward: forward !== 0,
    body: { kind, txn: { key, action, stamp: Number(stamp), core } },
  };
}

/**
 * The handlers of a core's export: protocol messages decoded into {@link Wire}s for `transport`,
 * `ready` and `finish` to the harness callbacks.
 */
export function shootdownRx(
  transport: BindingTransport,
  harness: { ready?: (from: number) => void; finish?: (from: number) => void } = {},
): ShootdownRx {
  return {
    invalidate: (from, round, root, forward, base, pages) =>
      transport.deliver(from, {
        t: "down",
        round,
        root,
        forward: forward !== 0,
        body: { kind: "invalidate", range: { base: Number(base), pages } },
      }),
    ack: (from, round, ok, c, reason, text) =>
      transport.deliver(from, upWire(from, round, ok, c, reason, text)),
    vote: (from, round, ok, c, reason, text) =>
      transport.deliver(from, upWire(from, round, ok, c, reason, text)),
    prepare: (from, round, root, fwd, key, action, stamp, c) =>
      transport.deliver(from, txnWire("prepare", round, root, fwd, key, action, stamp, c)),
    commit: (from, round, root, fwd, key, action, stamp, c) =>
      transport.deliver(from, txnWire("commit", round, root, fwd, key, action, stamp, c)),
    abort: (from, round, root, fwd, key, action, stamp, c) =>
      transport.deliver(from, txnWire("abort", round, root, fwd, key, action, stamp, c)),
    ready: (from) => harness.ready?.(from),
    finish: (from) => harness.finish?.(from),
  };
}
