/**
 * One core's part in every round: the transport-independent heart of all four protocols. A round
 * goes down the source's route tree (the root publishes on the shared line for broadcast, sends one
 * message per child otherwise); each core forwards to its children first, so the tree fans out
 * before anyone does local work, then does its local part (invalidate, vote, apply), and answers
 * its parent once its own part and every child have answered. The root's callback runs when the
 * whole tree has answered: no round completes before every core did its part.
 *
 * Failure: a core that dies makes every round whose pending subtree holds it fail with PEER_DIED at
 * the root (the monitors report deaths to every core); a round that gets no answer within its
 * deadline fails with TIMEOUT. Interior cores just drop such a round.
 */
import { ShootdownError } from "../errors.js";
import type { RouteTable } from "../routes/tree.js";
import type { CoreEnv, Timer } from "./env.js";
import { type Body, MAX_ROOTS, mergeVerdict, OK, type Verdict, type Wire } from "./messages.js";

/** A core's local part of a round: do it, then call `reply` (now or later) exactly once. */
export type LocalPart = (root: number, body: Body, reply: (v: Verdict) => void) => void;

/** How a round ends at its root. */
export type RoundDone = (result: Verdict | ShootdownError) => void;

/** Options of a node. */
export interface NodeOptions {
  /** A round that has not completed after this long fails with TIMEOUT (default 1 s). */
  readonly timeoutNs?: number;
}

interface RoundState {
  readonly root: number;
  readonly parent: number | undefined;
  /** Children that have not answered yet. */
  readonly pending: Set<number>;
  localDone: boolean;
  verdict: Verdict;
  readonly done: RoundDone | undefined;
  timer: Timer | undefined;
}

/** Counters a node keeps (the tests check them). */
export interface NodeStats {
  /** `down` messages handled (local parts run). */
  localParts: number;
  sent: number;
  received: number;
}

/** One core's protocol engine over a route table and a {@link CoreEnv}. */
export class AgreementNode {
  readonly env: CoreEnv;
  readonly routes: RouteTable;
  readonly stats: NodeStats = { localParts: 0, sent: 0, received: 0 };
  readonly #local: LocalPart;
  readonly #timeoutNs: number;
  readonly #rounds = new Map<number, RoundState>();
  readonly #dead = new Set<number>();
  #seq = 0;

  constructor(env: CoreEnv, routes: RouteTable, local: LocalPart, options: NodeOptions = {}) {
    if (!routes.has(env.core)) {
      throw new ShootdownError("BAD_ROUTES", `core ${env.core} is not in the ${routes.protocol} routes`, {
        core: env.core,
      });
    }
    this.env = env;
    this.routes = routes;
    this.#local = local;
    this.#timeoutNs = options.timeoutNs ?? 1e9;
  }

  /** Rounds this core takes part in that have not finished. */
  get inFlight(): number {
    return this.#rounds.size;
  }

  /** Starts a round from this core; `done` runs once, with the merged verdict or the error. */
  start(body: Body, done: RoundDone): number {
    const me = this.env.core;
    const round = ++this.#seq * MAX_ROOTS + me;
    const dead = this.routes.cores.find((c) => this.#dead.has(c));
    if (dead !== undefined) {
      done(new ShootdownError("PEER_DIED", `core ${dead} is dead`, { core: dead }));
      return round;
    }
    const state = this.#open(round, me, undefined, done);
    state.timer = this.env.setTimer(this.#timeoutNs, () => {
      this.#fail(
        round,
        new ShootdownError("TIMEOUT", `round ${round} from core ${me} had no answer in time`),
      );
    });
    this.#fanOut(round, me, body);
    this.#runLocal(round, me, body);
    return round;
  }

  /**
   * Sends `body` to each live core of `to` directly, unanswered, and runs it here too if this core is
   * one of them (best-effort cleanup after a failure).
   */
  notify(to: readonly number[], body: Body): void {
    const me = this.env.core;
    const round = ++this.#seq * MAX_ROOTS + me;
    for (const c of to) {
      if (c === me) {
        this.stats.localParts++;
        this.#local(me, body, () => {});
        continue;
      }
      if (this.#dead.has(c)) continue;
      this.stats.sent++;
      this.env.send(c, { t: "down", round, root: me, body, forward: false });
    }
  }

  /** Handles a message from core `from`. */
  receive(from: number, msg: Wire): void {
    this.stats.received++;
    if (msg.t === "down") {
      if (!msg.forward) {
        this.stats.localParts++;
        this.#local(msg.root, msg.body, () => {});
        return;
      }
      this.#open(msg.round, msg.root, this.routes.parent(msg.root, this.env.core), undefined);
      this.#fanOut(msg.round, msg.root, msg.body);
      this.#runLocal(msg.round, msg.root, msg.body);
      return;
    }
    const state = this.#rounds.get(msg.round);
    // A late answer to a round that already failed here: nothing waits for it.
    if (state === undefined || !state.pending.delete(from)) return;
    state.verdict = mergeVerdict(state.verdict, msg.verdict);
    this.#maybeFinish(msg.round, state);
  }

  /** The monitors say `core` died: fail (at the root) or drop every round still waiting on it. */
  peerDied(core: number): void {
    this.#dead.add(core);
    for (const [round, state] of [...this.#rounds]) {
      const waiting = [...state.pending].some(
        (c) => c === core || this.routes.subtree(state.root, c).includes(core),
      );
      if (waiting) {
        this.#fail(
          round,
          new ShootdownError("PEER_DIED", `core ${core} died during round ${round}`, { core }),
        );
      }
    }
  }

  #open(round: number, root: number, parent: number | undefined, done: RoundDone | undefined): RoundState {
    const state: RoundState = {
      root,
      parent,
      pending: new Set(this.routes.children(root, this.env.core)),
      localDone: false,
      verdict: OK,
      done,
      timer: undefined,
    };
    this.#rounds.set(round, state);
    return state;
  }

  #fanOut(round: number, root: number, body: Body): void {
    const kids = this.routes.children(root, this.env.core);
    if (kids.length === 0) return;
    const msg: Wire = { t: "down", round, root, body, forward: true };
    if (this.routes.sharedLine && root === this.env.core) {
      this.stats.sent++;
      this.env.publish(kids, msg);
      return;
    }
    for (const k of kids) {
      this.stats.sent++;
      this.env.send(k, msg);
    }
  }

  #runLocal(round: number, root: number, body: Body): void {
    this.stats.localParts++;
    let replied = false;
    this.#local(root, body, (v) => {
      if (replied) return;
      replied = true;
      const state = this.#rounds.get(round);
      if (state === undefined) return;
      state.localDone = true;
      state.verdict = mergeVerdict(v, state.verdict);
      this.#maybeFinish(round, state);
    });
  }

  #maybeFinish(round: number, state: RoundState): void {
    if (!state.localDone || state.pending.size > 0) return;
    this.#rounds.delete(round);
    state.timer?.cancel();
    if (state.parent === undefined) {
      state.done?.(state.verdict);
      return;
    }
    this.stats.sent++;
    this.env.send(state.parent, { t: "up", round, from: this.env.core, verdict: state.verdict });
  }

  #fail(round: number, err: ShootdownError): void {
    const state = this.#rounds.get(round);
    if (state === undefined) return;
    this.#rounds.delete(round);
    state.timer?.cancel();
    state.done?.(err);
  }
}
