/**
 * Every message the distributed capability operations exchange between cores, as one discriminated
 * union on `kind`. Each will become a message of an intermon `.if` (Barrelfish: `capops_*` in
 * `if/intermon.if`); fields are the arguments in order. Every message names its operation by
 * {@link OpId}; the sending core is given by the link, never trusted from the payload.
 *
 * Names follow `<operation>_<phase>`. A reply that can fail carries `error`: a stable CapError code,
 * or null for success (Barrelfish's errval).
 */
import type { CapErrorCode } from "../errors.js";
import type { CapRep, CoreId, OpId, Relations, RetypeArgs } from "./types.js";

/**
 * A refusal's stable code, as the package's CapError codes spell it, or PEER_DIED: a core the
 * operation waited for died (the monitor's {@link CapCoordinator.abandon}).
 */
export type ErrorCode = CapErrorCode | "PEER_DIED";

// --- copy (send a capability to another core) ---------------------------------------------------

/** Non-owner to owner: please deliver a copy of `cap` to core `dest`. */
export interface CopyRequest {
  readonly kind: "copy_request";
  readonly op: OpId;
  readonly cap: CapRep;
  readonly dest: CoreId;
}
/** Owner to destination: insert this copy; `relations` are the bits the new CTE starts with. */
export interface CopyDeliver {
  readonly kind: "copy_deliver";
  readonly op: OpId;
  readonly cap: CapRep;
  readonly owner: CoreId;
  readonly relations: Relations;
}
/** Destination to owner: the copy is in slot `slot` (or why not). */
export interface CopyDelivered {
  readonly kind: "copy_delivered";
  readonly op: OpId;
  readonly error: ErrorCode | null;
  readonly slot: number;
}
/** Owner to the requesting non-owner: the outcome of its copy_request. */
export interface CopyResult {
  readonly kind: "copy_result";
  readonly op: OpId;
  readonly error: ErrorCode | null;
  readonly slot: number;
}

// --- retype of a capability with remote relations -----------------------------------------------

/** Non-owner to owner: may I retype my copy of `cap` with `args`? */
export interface RetypeRequest {
  readonly kind: "retype_request";
  readonly op: OpId;
  readonly cap: CapRep;
  readonly args: RetypeArgs;
}
/** Owner to every other core: do you hold anything derived from `cap` overlapping the region? */
export interface RetypeCheck {
  readonly kind: "retype_check";
  readonly op: OpId;
  readonly cap: CapRep;
  readonly base: number;
  readonly size: number;
}
/** A core's answer to retype_check. */
export interface RetypeChecked {
  readonly kind: "retype_checked";
  readonly op: OpId;
  readonly error: ErrorCode | null;
}
/** Owner to requester: the decision. On success the requester creates the objects. */
export interface RetypeResult {
  readonly kind: "retype_result";
  readonly op: OpId;
  readonly error: ErrorCode | null;
}

// --- delete of the last local copy while remote copies exist: ownership moves --------------------

/** Owner to every other core: do you hold a copy of `cap`? */
export interface MoveFind {
  readonly kind: "move_find";
  readonly op: OpId;
  readonly cap: CapRep;
}
/** Answer to move_find. */
export interface MoveFound {
  readonly kind: "move_found";
  readonly op: OpId;
  readonly found: boolean;
}
/** Owner to the chosen holder: you own `cap` now; `relations` are the old owner's bits. */
export interface MoveTransfer {
  readonly kind: "move_transfer";
  readonly op: OpId;
  readonly cap: CapRep;
  readonly relations: Relations;
}
/** Answer to move_transfer: accepted, or the holder no longer has a copy. */
export interface MoveTransferred {
  readonly kind: "move_transferred";
  readonly op: OpId;
  readonly accepted: boolean;
}
/** New owner to every other core but the old owner: `cap` is owned by `owner` now (no answer). */
export interface OwnerUpdate {
  readonly kind: "owner_update";
  readonly op: OpId;
  readonly cap: CapRep;
  readonly owner: CoreId;
}

// --- revoke across cores -----------------------------------------------------------------------

/** Non-owner to owner: give me ownership of `cap` (a revoke must run at the invoked copy's core). */
export interface RetrieveRequest {
  readonly kind: "retrieve_request";
  readonly op: OpId;
  readonly cap: CapRep;
}
/** Owner to requester: ownership granted with the owner's relation bits, or refused. */
export interface RetrieveResult {
  readonly kind: "retrieve_result";
  readonly op: OpId;
  readonly error: ErrorCode | null;
  readonly relations: Relations;
}
/** Owner to every other core: mark copies and descendants of `cap`; they may not travel now. */
export interface RevokeMark {
  readonly kind: "revoke_mark";
  readonly op: OpId;
  readonly cap: CapRep;
}
/** Marked, and no copy of a marked capability is still travelling from here. */
export interface RevokeReady {
  readonly kind: "revoke_ready";
  readonly op: OpId;
}
/** Owner to every other core: every core is marked; delete what you marked. */
export interface RevokeCommit {
  readonly kind: "revoke_commit";
  readonly op: OpId;
}
/** Swept. */
export interface RevokeDone {
  readonly kind: "revoke_done";
  readonly op: OpId;
}

// --- any request that reached a core which is no longer the owner -------------------------------

/** Reply to a request for an object this core does not own (any more): ask the owner you know now. */
export interface NotOwner {
  readonly kind: "not_owner";
  readonly op: OpId;
}

/** Every capops message. */
export type CapMessage =
  | CopyRequest
  | CopyDeliver
  | CopyDelivered
  | CopyResult
  | RetypeRequest
  | RetypeCheck
  | RetypeChecked
  | RetypeResult
  | MoveFind
  | MoveFound
  | MoveTransfer
  | MoveTransferred
  | OwnerUpdate
  | RetrieveRequest
  | RetrieveResult
  | RevokeMark
  | RevokeReady
  | RevokeCommit
  | RevokeDone
  | NotOwner;

/** The `kind` of every message, for exhaustive tables and for validating what a link hands over. */
export const MESSAGE_KINDS: readonly CapMessage["kind"][] = [
  "copy_request",
  "copy_deliver",
  "copy_delivered",
  "copy_result",
  "retype_request",
  "retype_check",
  "retype_checked",
  "retype_result",
  "move_find",
  "move_found",
  "move_transfer",
  "move_transferred",
  "owner_update",
  "retrieve_request",
  "retrieve_result",
  "revoke_mark",
  "revoke_ready",
  "revoke_commit",
  "revoke_done",
  "not_owner",
];

/** A message addressed to a core: what a handler returns for the link to send. */
export interface Outgoing {
  readonly to: CoreId;
  readonly msg: CapMessage;
}
