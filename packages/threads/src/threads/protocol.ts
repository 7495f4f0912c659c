import type { SerializedError } from "../team/protocol.js";

/** A thread's entry: the export `name` of the built module at `module` (a closure cannot cross threads). */
export interface ThreadEntry {
  module: string;
  name: string;
}

/** How a thread ended, as its joiner sees it. */
export type ThreadOutcome =
  | { ok: true; code: number; value: unknown }
  | { ok: false; error: SerializedError };

/** Host (the domain's coordinator) → a core's thread scheduler. */
export type ToScheduler =
  | { kind: "start"; id: number; entry: ThreadEntry; arg: unknown }
  | { kind: "created"; req: number; id?: number; error?: SerializedError }
  | { kind: "joined"; req: number; outcome: ThreadOutcome };

/** A core's thread scheduler → the host. */
export type FromScheduler =
  | { kind: "ready" }
  | { kind: "ended"; id: number; outcome: ThreadOutcome }
  | { kind: "create"; req: number; entry: ThreadEntry; arg: unknown; core: number; detached: boolean }
  | { kind: "join"; req: number; id: number }
  | { kind: "detach"; id: number };
