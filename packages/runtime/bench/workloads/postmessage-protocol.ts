/**
 * Messages of the postMessage baseline. Ping-pong posts bare numbers (the cheapest thing to clone, so
 * the baseline is at its best); rpc tags calls with an id; throughput posts Uint8Array payloads
 * (cloned, as stub arrays are copied) and gets credits back to keep at most 16 in flight.
 */

/** Receiver hands back one credit message per this many payloads. */
export const CREDIT_EVERY = 8;

/** Main → worker. */
export type PmRequest =
  | number
  | Uint8Array
  | { readonly kind: "call"; readonly id: number; readonly v: number }
  | { readonly kind: "expect"; readonly count: number };

/** Worker → main. */
export type PmReply =
  | number
  | { readonly kind: "ready" }
  | { readonly kind: "ret"; readonly id: number; readonly v: number }
  | { readonly kind: "expecting" }
  | { readonly kind: "credit"; readonly count: number }
  | { readonly kind: "done"; readonly count: number };
