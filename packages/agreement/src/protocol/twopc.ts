/**
 * Two-phase commit over the same route trees: round one carries `prepare` (each core checks the
 * operation against its own state and locks the object, or refuses), round two `commit` or `abort`.
 * Conflicts between concurrent transactions on one object are settled by wait-die: an older
 * transaction waits for a younger one that holds the object at a core; a younger one that finds an
 * older holder is refused at once. So there is no deadlock, and of two conflicting operations the
 * older wins unless the younger already held the object everywhere, in which case the younger commits
 * and the older's check then refuses it against the new state (a retype of RAM already retyped).
 * Either way exactly one wins and the other gets REFUSED. Transactions on distinct objects do not
 * interact, so they pipeline: each has its own rounds in flight.
 */
import { ShootdownError } from "../errors.js";
import { type Body, OK, type Txn, type Verdict } from "./messages.js";
import type { AgreementNode } from "./node.js";

/** What a participant's own state says about a transaction. */
export interface AgreementResource {
  /** Null when this core can do `txn`; else a refusal reason code and message. */
  check(txn: Txn): { readonly reason: string; readonly message: string } | null;
  /** Does `txn` (it committed). */
  apply(txn: Txn): void;
}

/** True when `a` is older than `b` (wins the conflict). */
export function olderThan(a: Txn, b: Txn): boolean {
  return a.stamp < b.stamp || (a.stamp === b.stamp && a.core < b.core);
}

function sameTxn(a: Txn, b: Txn): boolean {
  return a.stamp === b.stamp && a.core === b.core && a.key === b.key;
}

const ABORTED_MEMORY = 1024;

interface Waiter {
  readonly txn: Txn;
  readonly reply: (v: Verdict) => void;
}

/** One core's participant: per object, the transaction holding its lock and those waiting for it. */
export class Participant {
  readonly core: number;
  readonly #resource: AgreementResource;
  readonly #held = new Map<string, Txn>();
  readonly #waiting = new Map<string, Waiter[]>();
  /** Transactions aborted before their prepare got here (a direct abort overtaking it). */
  readonly #aborted = new Set<string>();

  constructor(core: number, resource: AgreementResource) {
    this.core = core;
    this.#resource = resource;
  }

  /** Objects locked here now (the tests check nothing stays locked). */
  get locked(): number {
    return this.#held.size;
  }

  /** The local part of a 2PC round. */
  handle(body: Body, reply: (v: Verdict) => void): void {
    switch (body.kind) {
      case "prepare":
        this.#prepare({ txn: body.txn, reply });
        return;
      case "commit":
        if (this.#releaseIf(body.txn)) this.#resource.apply(body.txn);
        reply(OK);
        return;
      case "abort":
        if (!this.#releaseIf(body.txn)) this.#rememberAborted(body.txn);
        this.#dropWaiter(body.txn);
        reply(OK);
        return;
      case "invalidate":
        reply(OK);
        return;
    }
  }

  #prepare(w: Waiter): void {
    const { txn } = w;
    if (this.#aborted.delete(idOf(txn))) {
      w.reply(this.#refuse("ABORTED", `transaction ${idOf(txn)} was aborted`));
      return;
    }
    const holder = this.#held.get(txn.key);
    if (holder !== undefined && !sameTxn(holder, txn)) {
      if (olderThan(txn, holder)) {
        const q = this.#waiting.get(txn.key) ?? [];
        q.push(w);
        this.#waiting.set(txn.key, q);
        return;
      }
      w.reply(this.#refuse("CONFLICT", `${txn.key} is held by ${holder.action} from core ${holder.core}`));
      return;
    }
    const refusal = this.#resource.check(txn);
    if (refusal !== null) {
      w.reply(this.#refuse(refusal.reason, refusal.message));
      return;
    }
    this.#held.set(txn.key, txn);
    w.reply(OK);
  }

  #refuse(reason: string, message: string): Verdict {
    return { ok: false, core: this.core, reason, message: `core ${this.core}: ${message}` };
  }

  /** Releases `txn`'s lock if it holds it, then lets the oldest waiter try again. */
  #releaseIf(txn: Txn): boolean {
    const holder = this.#held.get(txn.key);
    if (holder === undefined || !sameTxn(holder, txn)) return false;
    this.#held.delete(txn.key);
    const q = (this.#waiting.get(txn.key) ?? []).sort((a, b) => (olderThan(a.txn, b.txn) ? -1 : 1));
    this.#waiting.delete(txn.key);
    // Re-run every waiter in age order: the first may take the lock; wait-die then settles the rest.
    for (const w of q) this.#prepare(w);
    return true;
  }

  #rememberAborted(txn: Txn): void {
    this.#aborted.add(idOf(txn));
    // Bounded: only a prepare still in flight behind a direct abort needs it, and those are few.
    if (this.#aborted.size > ABORTED_MEMORY) {
      const first = this.#aborted.values().next();
      if (first.done !== true) this.#aborted.delete(first.value);
    }
  }

  #dropWaiter(txn: Txn): void {
    const q = this.#waiting.get(txn.key);
    if (q === undefined) return;
    const rest = q.filter((w) => !sameTxn(w.txn, txn));
    if (rest.length === 0) this.#waiting.delete(txn.key);
    else this.#waiting.set(txn.key, rest);
  }
}

function idOf(txn: Txn): string {
  return `${txn.key}@${txn.stamp}.${txn.core}`;
}

/**
 * Coordinates `txn` from `node`'s core: prepare, then commit (done with no error) or abort (done with
 * REFUSED naming the refusing core and its reason). If a core dies or a round times out, the live
 * cores get a direct abort and `done` gets that error.
 */
export function coordinate(node: AgreementNode, txn: Txn, done: (err?: ShootdownError) => void): void {
  node.start({ kind: "prepare", txn }, (prep) => {
    if (prep instanceof ShootdownError) {
      node.notify(node.routes.cores, { kind: "abort", txn });
      done(prep);
      return;
    }
    const second: Body = prep.ok ? { kind: "commit", txn } : { kind: "abort", txn };
    node.start(second, (fin) => {
      if (fin instanceof ShootdownError) {
        done(fin);
        return;
      }
      if (prep.ok) done();
      else
        done(
          new ShootdownError("REFUSED", `${txn.action} of ${txn.key} refused: ${prep.message}`, {
            core: prep.core,
            reason: prep.reason,
          }),
        );
    });
  });
}
