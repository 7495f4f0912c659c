/**
 * LRPC passes values, not words: what the sender passed is what the receiver gets, except that
 * everything mutable is copied so that neither side can change the other's data afterwards.
 */

/** A copy of `v` sharing nothing mutable with it (typed arrays, arrays and plain objects are copied). */
export function copyValue(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (ArrayBuffer.isView(v)) return (v as Uint8Array).slice();
  if (Array.isArray(v)) return v.map(copyValue);
  if (v.constructor === Object || Object.getPrototypeOf(v) === null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = copyValue((v as Record<string, unknown>)[k]);
    return out;
  }
  // Capability references and other objects travel by reference, as in Barrelfish's same-core LRPC.
  return v;
}

/** Copies the argument list of one message (primitives pass through, so `ping(42n)` costs one array). */
export function copyArgs(args: readonly unknown[]): readonly unknown[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === "object" && a !== null) return args.map(copyValue);
  }
  return args;
}
