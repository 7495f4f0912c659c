/**
 * capops messages on the wire: a capops protocol message travels between monitors as JSON in one
 * intermon `capops` message. What arrives is a peer's word, not a value of ours: {@link parseCapMessage}
 * checks the shape of every field the protocols read before the coordinator sees it, so a confused or
 * hostile monitor gets its message dropped (and counted), never a crash of this core.
 */
import { capops } from "@shoal/caps";

type CapMessage = capops.CapMessage;

const OP = /^\d{1,6}:-?\d{1,15}$/;
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
const isNat = (v: unknown): v is number => isInt(v) && v >= 0;

function isRep(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.type === "string" &&
    r.type.length < 64 &&
    isNat(r.base) &&
    isNat(r.size) &&
    isNat(r.rights) &&
    isNat(r.badge)
  );
}

function isArgs(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const a = v as Record<string, unknown>;
  return typeof a.to === "string" && isNat(a.offset) && isNat(a.objectSize) && isNat(a.count);
}

/** The check of each field a capops message may carry, by name. */
const FIELDS: Record<string, (v: unknown) => boolean> = {
  op: (v) => typeof v === "string" && OP.test(v),
  cap: isRep,
  args: isArgs,
  dest: isNat,
  owner: isNat,
  relations: (v) => isNat(v) && v <= 7,
  slot: isInt,
  base: isNat,
  size: isNat,
  error: (v) => v === null || (typeof v === "string" && /^[A-Z_]{1,40}$/.test(v)),
  found: (v) => typeof v === "boolean",
  accepted: (v) => typeof v === "boolean",
};

/** Which fields each kind needs (besides kind and op). */
const NEEDS: Record<CapMessage["kind"], readonly string[]> = {
  copy_request: ["cap", "dest"],
  copy_deliver: ["cap", "owner", "relations"],
  copy_delivered: ["error", "slot"],
  copy_result: ["error", "slot"],
  retype_request: ["cap", "args"],
  retype_check: ["cap", "base", "size"],
  retype_checked: ["error"],
  retype_result: ["error"],
  move_find: ["cap"],
  move_found: ["found"],
  move_transfer: ["cap", "relations"],
  move_transferred: ["accepted"],
  owner_update: ["cap", "owner"],
  retrieve_request: ["cap"],
  retrieve_result: ["error", "relations"],
  revoke_mark: ["cap"],
  revoke_ready: [],
  revoke_commit: [],
  revoke_done: [],
  not_owner: [],
};

/** The message in `json`, or a string saying what is wrong with it. */
export function parseCapMessage(json: string): CapMessage | string {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return "not JSON";
  }
  if (typeof v !== "object" || v === null) return "not an object";
  const m = v as Record<string, unknown>;
  const kind = m.kind as CapMessage["kind"];
  const needs = typeof kind === "string" ? NEEDS[kind] : undefined;
  if (needs === undefined || !capops.MESSAGE_KINDS.includes(kind)) return `unknown kind ${String(m.kind)}`;
  for (const f of ["op", ...needs]) {
    const check = FIELDS[f];
    if (check === undefined || !check(m[f])) return `${kind}: bad or missing ${f}`;
  }
  return m as unknown as CapMessage;
}
