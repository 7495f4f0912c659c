/**
 * Messages between a team's host and its members (after bomp.if's `execute` and `done`): the host
 * names the region by module URL and export (a closure cannot cross threads), members answer with the
 * region's return value or the error it threw.
 */
export type HostToMember = { kind: "execute"; seq: number; module: string; name: string; arg: unknown };

export type MemberToHost =
  | { kind: "ready" }
  | { kind: "done"; seq: number; value: unknown }
  | { kind: "error"; seq: number; error: SerializedError };

/** An error as data, rebuilt on the host. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

/** Turns anything thrown into {@link SerializedError}. */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const out: SerializedError = { name: e.name, message: e.message };
    if (e.stack !== undefined) out.stack = e.stack;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") out.code = code;
    return out;
  }
  return { name: "Error", message: String(e) };
}
