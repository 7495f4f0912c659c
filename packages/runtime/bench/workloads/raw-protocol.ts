/** Messages between main and the raw-sab worker (the hot path itself is shared memory only). */

/** Main → worker. */
export type RawCommand =
  | { readonly kind: "pingpong"; readonly start: number; readonly count: number; readonly timeoutMs: number }
  | {
      readonly kind: "ring";
      readonly payloadBytes: number;
      readonly messages: number;
      readonly startSeq: number;
      readonly timeoutMs: number;
    };

/** Worker → main (`failed` is handled by the worker host). */
export type RawReply =
  | { readonly kind: "ready" }
  | { readonly kind: "armed" }
  | { readonly kind: "finished"; readonly sum: number }
  | { readonly kind: "failed"; readonly message: string };
