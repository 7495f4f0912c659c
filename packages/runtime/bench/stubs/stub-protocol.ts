/**
 * Messages between main and the stub worker (the measured traffic goes through the stubs, and the paired
 * floor through the raw ping-pong words and the raw ring of the shared memory the worker gets at start).
 */

/** The stub worker's `workerData`: the raw layout's memory (raw-layout.ts) for the paired floors. */
export interface StubWorkerData {
  readonly memory: SharedArrayBuffer;
}

/** Main → worker. */
export type StubCommand =
  | { readonly kind: "bind"; readonly endpoint: unknown }
  | { readonly kind: "expect"; readonly count: number }
  | { readonly kind: "check" }
  | { readonly kind: "unbind" }
  /** Echo raw pings `start+1 .. start+count` synchronously (the floor's far side); `armed`, then `finished`. */
  | { readonly kind: "floor"; readonly start: number; readonly count: number; readonly timeoutMs: number }
  /**
   * Drain `messages` raw ring messages from line `startSeq` synchronously (the throughput floor's far
   * side, raw-ring.ts); `armed`, then `finished` with the sum of the payload words read.
   */
  | {
      readonly kind: "floor-ring";
      readonly payloadBytes: number;
      readonly messages: number;
      readonly startSeq: number;
      readonly timeoutMs: number;
    };

/** Worker → main (`failed` is handled by the worker host). */
export type StubReply =
  | { readonly kind: "ready" }
  | { readonly kind: "bound" }
  | { readonly kind: "expecting" }
  | { readonly kind: "check"; readonly value: number; readonly error: string | null }
  | { readonly kind: "unbound" }
  | { readonly kind: "armed" }
  /** After `floor` (sum 0) or `floor-ring` (the payload words' sum, as the raw-sab worker's). */
  | { readonly kind: "finished"; readonly sum: number };
