/**
 * The wire protocol between the cores of an agreement, as a discriminated union. One message kind
 * goes down a route tree (`down`: do this), one comes back up (`up`: done, with a verdict merged over
 * the sender's subtree). A shootdown is one round (invalidate); a two-phase commit is two (prepare,
 * then commit or abort). Messages are plain data so that any transport can carry them.
 */

/** A range of virtual pages: `pages` pages of 4 KiB from the page-aligned address `base`. */
export interface Range {
  readonly base: number;
  readonly pages: number;
}

/** A two-phase-commit transaction: an operation on one object that every core must agree to. */
export interface Txn {
  /** The object it is about (e.g. the RAM range a retype consumes): conflicting transactions share it. */
  readonly key: string;
  /** What is done to it (checked by each participant's resource), e.g. `retype:Frame`. */
  readonly action: string;
  /**
   * Its age: older transactions (smaller stamp, then smaller core) win conflicts (wait-die). With
   * `core`, it names the transaction: a core never reuses a stamp.
   */
  readonly stamp: number;
  /** The coordinating core. */
  readonly core: number;
}

/** What a round asks every core to do. */
export type Body =
  | { readonly kind: "invalidate"; readonly range: Range }
  | { readonly kind: "prepare"; readonly txn: Txn }
  | { readonly kind: "commit"; readonly txn: Txn }
  | { readonly kind: "abort"; readonly txn: Txn };

/** A core's answer, merged up the tree: the first refusal wins. */
export type Verdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly core: number; readonly reason: string; readonly message: string };

/** The verdict of success (shared: it carries nothing). */
export const OK: Verdict = { ok: true };

/** A message of the protocol. */
export type Wire =
  | {
      readonly t: "down";
      /** Unique per root: the round's id (an operation's rounds have distinct ids). */
      readonly round: number;
      readonly root: number;
      readonly body: Body;
      /** False for a best-effort direct message (an abort after a failure): not forwarded, not answered. */
      readonly forward: boolean;
    }
  | { readonly t: "up"; readonly round: number; readonly from: number; readonly verdict: Verdict };

/** How many cores a round id can name (ids are `seq * MAX_ROOTS + root`, unique across roots). */
export const MAX_ROOTS = 4096;

/** Merges two verdicts: the first refusal stands. */
export function mergeVerdict(a: Verdict, b: Verdict): Verdict {
  return a.ok ? b : a;
}
