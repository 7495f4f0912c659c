/**
 * Moving caps between CSpaces wherever a message carries them: a top-level cap argument, a cap field
 * of a struct (Flounder's `typedef struct { cap frame; ... }`), or an rpc's out-arguments. The
 * channel hands the receiver the sender's reference (same core, lrpc) or one in transit (another core,
 * urpc); each becomes a new reference in the receiving domain's CSpace.
 */
import { CapRef } from "@shoal/runtime";

/** How deep a value is searched for caps (Flounder structs nest a few levels at most). */
const MAX_DEPTH = 8;

/**
 * `v` with every CapRef in it (itself, or inside arrays and plain objects) replaced by `move(ref)`.
 * Only what changes is copied; typed arrays, strings and numbers are passed through untouched.
 */
export function moveCaps(v: unknown, move: (ref: CapRef) => CapRef, depth = 0): unknown {
  if (v instanceof CapRef) return move(v);
  if (typeof v !== "object" || v === null || depth >= MAX_DEPTH || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) {
    let out: unknown[] = v;
    for (let i = 0; i < v.length; i++) {
      const n = moveCaps(v[i], move, depth + 1);
      if (n === v[i]) continue;
      if (out === v) out = [...v];
      out[i] = n;
    }
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return v;
  const o = v as Record<string, unknown>;
  let out = o;
  for (const k of Object.keys(o)) {
    const n = moveCaps(o[k], move, depth + 1);
    if (n === o[k]) continue;
    if (out === o) out = { ...o };
    out[k] = n;
  }
  return out;
}
