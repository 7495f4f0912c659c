/**
 * One core's shootdown and agreement service: an {@link AgreementNode} whose local part invalidates
 * this core's TLB for a range (the callback the monitor passes, e.g. the core's MMU) and takes part in
 * two-phase commits through a {@link Participant}.
 */
import type { ShootdownError } from "../errors.js";
import type { RouteTable } from "../routes/tree.js";
import type { CoreEnv } from "./env.js";
import { OK, type Range, type Txn } from "./messages.js";
import { AgreementNode, type NodeOptions } from "./node.js";
import { type AgreementResource, coordinate, Participant } from "./twopc.js";

/** What a core does locally. */
export interface CoreHooks {
  /** Drops this core's TLB entries for `range` (synchronously: the ack follows it). */
  invalidate(range: Range, root: number): void;
  /** This core's state for two-phase commits (default: accepts everything, applies nothing). */
  resource?: AgreementResource;
}

const ACCEPT_ALL: AgreementResource = { check: () => null, apply: () => {} };

/** A core's shootdown/agreement endpoint. */
export class ShootdownCore {
  readonly node: AgreementNode;
  readonly participant: Participant;

  constructor(env: CoreEnv, routes: RouteTable, hooks: CoreHooks, options: NodeOptions = {}) {
    this.participant = new Participant(env.core, hooks.resource ?? ACCEPT_ALL);
    this.node = new AgreementNode(
      env,
      routes,
      (root, body, reply) => {
        if (body.kind === "invalidate") {
          hooks.invalidate(body.range, root);
          reply(OK);
          return;
        }
        this.participant.handle(body, reply);
      },
      options,
    );
  }

  get core(): number {
    return this.node.env.core;
  }

  /**
   * Invalidates `range` on every core of the routes (this one included); `done` runs when every core
   * has invalidated and acknowledged, with no argument, or with PEER_DIED / TIMEOUT.
   */
  shootdown(range: Range, done: (err?: ShootdownError) => void): void {
    this.node.start({ kind: "invalidate", range }, (r) => done(r instanceof Error ? r : undefined));
  }

  /** Agrees on `txn` with every core by two-phase commit (REFUSED if any core refuses). */
  propose(txn: Txn, done: (err?: ShootdownError) => void): void {
    coordinate(this.node, txn, done);
  }

  /** The promise form of {@link shootdown} (for real cores; the simulator uses the callback). */
  shootdownAsync(range: Range): Promise<void> {
    return new Promise((resolve, reject) => this.shootdown(range, (e) => (e ? reject(e) : resolve())));
  }

  /** The promise form of {@link propose}. */
  proposeAsync(txn: Txn): Promise<void> {
    return new Promise((resolve, reject) => this.propose(txn, (e) => (e ? reject(e) : resolve())));
  }
}
