/**
 * One core's coordinator of the distributed capability operations: it starts operations, hands
 * each message to its operation's handler, keeps the operation states, and sends what the handlers
 * return through the {@link CapLink}. All decisions are in the operation files; this file only
 * routes. A message for an operation this core does not know (a confused or hostile peer) is
 * counted and dropped, never a crash.
 */
import {
  type CopyState,
  onCopyDeliver,
  onCopyDelivered,
  onCopyNotOwner,
  onCopyRequest,
  onCopyResult,
  recheckCopy,
  startCopy,
} from "./copy.js";
import {
  type DeleteState,
  onMoveFind,
  onMoveFound,
  onMoveTransfer,
  onMoveTransferred,
  onOwnerUpdate,
  startDelete,
} from "./delete.js";
import type { Env, OpOutcome, Step } from "./env.js";
import type { CapLink } from "./link.js";
import { type CapMessage, MESSAGE_KINDS, type Outgoing } from "./protocol.js";
import {
  onRetypeCheck,
  onRetypeChecked,
  onRetypeNotOwner,
  onRetypeRequest,
  onRetypeResult,
  type RetypeState,
  recheckRetype,
  startRetype,
} from "./retype.js";
import {
  onRetrieveRequest,
  onRetrieveResult,
  onRevokeCommit,
  onRevokeDone,
  onRevokeMark,
  onRevokeNotOwner,
  onRevokeReady,
  type RevokeParticipantState,
  type RevokeState,
  recheckParticipant,
  recheckRevoke,
  startRevoke,
} from "./revoke.js";
import type { CapStore } from "./store.js";
import { type CoreId, type OpId, opId, opOrigin, type RetypeArgs, type Slot } from "./types.js";

/** Any operation's state on one core. */
export type OpState = CopyState | RetypeState | DeleteState | RevokeState | RevokeParticipantState;

/** Counters a monitor can report. */
export interface CoordinatorStats {
  /** Messages received for no known operation, or of unknown kind. */
  dropped: number;
}

/** The distributed capability operations of one core. */
export class CapCoordinator {
  /** The core's tables (exposed for invariant checks and the monitor's diagnostics). */
  readonly env: Env;
  readonly stats: CoordinatorStats = { dropped: 0 };
  private seq = 0;
  private readonly ops = new Map<OpId, OpState>();
  private readonly listeners: ((outcome: OpOutcome) => void)[] = [];
  /** When each operation state last changed, by the clock. */
  private readonly since = new Map<OpId, number>();
  private readonly clock: () => number;

  /**
   * `clock` gives the time the coordinator stamps operation states with (default `Date.now`; the
   * simulator passes its own clock). No decision depends on it: the links are reliable, so no
   * protocol has a timeout; it only tells the monitor which operations wait long ({@link stalled}).
   */
  constructor(
    private readonly link: CapLink,
    store: CapStore,
    clock?: () => number,
  ) {
    this.clock = clock ?? Date.now;
    this.env = {
      self: link.self,
      cores: link.cores,
      store,
      locks: new Map(),
      marks: new Map(),
      deliveries: new Map(),
      acquiring: new Map(),
    };
    link.onMessage((from, msg) => this.receive(from, msg));
  }

  /** Calls `fn` with each operation's outcome, in completion order. */
  onComplete(fn: (outcome: OpOutcome) => void): void {
    this.listeners.push(fn);
  }

  /** Operations (and participations) still in progress on this core. */
  inProgress(): readonly OpState[] {
    return [...this.ops.values()];
  }

  /**
   * Operations whose state has not changed for at least `olderThan` (clock units): waiting for a
   * core that may have died, which the monitor's liveness check then decides about.
   */
  stalled(olderThan: number): readonly { readonly state: OpState; readonly since: number }[] {
    const now = this.clock();
    const out: { state: OpState; since: number }[] = [];
    for (const [op, state] of this.ops) {
      const since = this.since.get(op) ?? now;
      if (now - since >= olderThan) out.push({ state, since });
    }
    return out;
  }

  /** Sends the cap in `src` to core `dest` (or copies it locally when `dest` is this core). */
  copy(src: Slot, dest: CoreId): OpId {
    const op = this.newOp();
    return this.begin(op, startCopy(this.env, op, src, dest));
  }

  /** Retypes the cap in `src`. */
  retype(src: Slot, args: RetypeArgs): OpId {
    const op = this.newOp();
    return this.begin(op, startRetype(this.env, op, src, args));
  }

  /** Deletes the cap in `slot`. */
  delete(slot: Slot): OpId {
    const op = this.newOp();
    return this.begin(op, startDelete(this.env, op, slot));
  }

  /** Revokes the cap in `slot`: every copy and descendant anywhere goes, this one stays. */
  revoke(slot: Slot): OpId {
    const op = this.newOp();
    return this.begin(op, startRevoke(this.env, op, slot));
  }

  /**
   * Looks at the waiting states again after something outside the protocol changed this core's
   * tables (the monitor acknowledged a delivery it tracks in {@link Env.deliveries}).
   */
  poke(): void {
    this.recheck();
  }

  /**
   * Core `core` died: every operation and participation that waits for it ends now. Operations
   * started here fail with PEER_DIED (their locks, marks and deliveries go; a revoke still marking
   * tells the live cores to sweep, so that none keeps its mark); participations in an operation the
   * dead core ordered are dropped. Returns the outcomes reported.
   */
  abandon(core: CoreId): OpOutcome[] {
    const out: OpOutcome[] = [];
    for (const [op, state] of [...this.ops]) {
      if (!waitsFor(state, core)) continue;
      this.ops.delete(op);
      this.since.delete(op);
      this.env.deliveries.delete(op);
      this.env.marks.delete(op);
      for (const [key, lock] of this.env.locks) if (lock.op === op) this.env.locks.delete(key);
      for (const [key, by] of this.env.acquiring) if (by === op) this.env.acquiring.delete(key);
      if (state.kind === "revoke" && state.phase === "marking") {
        // The live cores are marked (or will be): let them sweep and drop their marks, else each
        // keeps a mark that refuses every later copy of the object.
        for (const to of this.link.cores)
          if (to !== this.link.self && to !== core) this.link.send(to, { kind: "revoke_commit", op });
      }
      if (state.kind === "revoke_participant" || opOrigin(op) !== this.link.self) continue;
      const done: OpOutcome = { op, kind: kindOf(state), ok: false, code: "PEER_DIED" };
      out.push(done);
      for (const fn of this.listeners) fn(done);
    }
    this.recheck();
    return out;
  }

  private newOp(): OpId {
    this.seq += 1;
    return opId(this.link.self, this.seq);
  }

  private begin(op: OpId, step: Step<OpState>): OpId {
    this.apply(op, step);
    return op;
  }

  /** Handles one message from core `from` (the link calls this). */
  receive(from: CoreId, msg: CapMessage): void {
    if (!MESSAGE_KINDS.includes(msg.kind) || !this.link.cores.includes(from) || from === this.link.self) {
      this.stats.dropped += 1;
      return;
    }
    const env = this.env;
    switch (msg.kind) {
      case "copy_request":
        this.apply(msg.op, onCopyRequest(env, msg, from));
        break;
      case "copy_deliver":
        this.sendAll(onCopyDeliver(env, msg, from));
        break;
      case "retype_request":
        this.apply(msg.op, onRetypeRequest(env, msg, from));
        break;
      case "retype_check":
        this.sendAll(onRetypeCheck(env, msg, from));
        break;
      case "move_find":
        this.sendAll(onMoveFind(env, msg, from));
        break;
      case "move_transfer":
        this.sendAll(onMoveTransfer(env, msg, from));
        break;
      case "owner_update":
        onOwnerUpdate(env, msg);
        break;
      case "retrieve_request":
        this.sendAll(onRetrieveRequest(env, msg, from));
        break;
      case "revoke_mark":
        this.apply(msg.op, onRevokeMark(env, msg, from));
        break;
      default:
        this.toState(from, msg);
    }
    this.recheck();
  }

  /** Messages that continue an operation this core already holds state for. */
  private toState(from: CoreId, msg: CapMessage): void {
    const state = this.ops.get(msg.op);
    const env = this.env;
    let step: Step<OpState> | undefined;
    if (state?.kind === "copy") {
      if (msg.kind === "copy_delivered") step = onCopyDelivered(env, state, msg);
      else if (msg.kind === "copy_result") step = onCopyResult(env, state, msg);
      else if (msg.kind === "not_owner") step = onCopyNotOwner(env, state);
    } else if (state?.kind === "retype") {
      if (msg.kind === "retype_checked") step = onRetypeChecked(env, state, msg, from);
      else if (msg.kind === "retype_result") step = onRetypeResult(env, state, msg);
      else if (msg.kind === "not_owner") step = onRetypeNotOwner(env, state);
    } else if (state?.kind === "delete") {
      if (msg.kind === "move_found") step = onMoveFound(env, state, msg, from);
      else if (msg.kind === "move_transferred") step = onMoveTransferred(env, state, msg, from);
    } else if (state?.kind === "revoke") {
      if (msg.kind === "retrieve_result") step = onRetrieveResult(env, state, msg);
      else if (msg.kind === "revoke_ready") step = onRevokeReady(env, state, from);
      else if (msg.kind === "revoke_done") step = onRevokeDone(env, state, from);
      else if (msg.kind === "not_owner") step = onRevokeNotOwner(env, state);
    } else if (state?.kind === "revoke_participant") {
      if (msg.kind === "revoke_commit") step = onRevokeCommit(env, state);
    }
    if (step) this.apply(msg.op, step);
    else this.stats.dropped += 1;
  }

  /**
   * Waiting states depend on this core's tables (a parked request on its copy's owner field, a
   * revoke participant on its deliveries): look at them again after every message.
   */
  private recheck(): void {
    for (const [op, state] of [...this.ops]) {
      let step: Step<OpState> | undefined;
      if (state.kind === "copy") step = recheckCopy(this.env, state);
      else if (state.kind === "retype") step = recheckRetype(this.env, state);
      else if (state.kind === "revoke") step = recheckRevoke(this.env, state);
      else if (state.kind === "revoke_participant") step = recheckParticipant(this.env, state);
      if (step && (step.state !== state || step.outbox.length > 0 || step.done)) this.apply(op, step);
    }
  }

  private apply(op: OpId, step: Step<OpState>): void {
    if (step.state) {
      if (this.ops.get(op) !== step.state) this.since.set(op, this.clock());
      this.ops.set(op, step.state);
    } else {
      this.ops.delete(op);
      this.since.delete(op);
    }
    this.sendAll(step.outbox);
    if (step.done) for (const fn of this.listeners) fn(step.done);
  }

  private sendAll(outbox: readonly Outgoing[]): void {
    for (const { to, msg } of outbox) this.link.send(to, msg);
  }
}

/** True if `state` cannot go on without an answer (or an order) from `core`. */
function waitsFor(state: OpState, core: CoreId): boolean {
  if (state.kind === "revoke_participant") return state.owner === core;
  if ("waiting" in state && state.waiting.has(core)) return true;
  if (state.kind === "delete") return state.phase === "transferring" && Math.min(...state.found) === core;
  if (state.kind === "copy" && state.role === "owner") return state.dest === core || state.requester === core;
  if (state.kind === "retype" && state.role === "owner") return state.requester === core;
  if ("askedOwner" in state)
    return state.askedOwner === core && (state.kind !== "revoke" || state.phase === "retrieving");
  return false;
}

/** The operation a state belongs to. */
function kindOf(state: OpState): OpOutcome["kind"] {
  return state.kind === "revoke_participant" ? "revoke" : state.kind;
}
