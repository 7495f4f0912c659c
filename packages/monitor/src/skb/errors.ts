/** Errors of the monitor's SKB client (routes at boot). */

/** Why a monitor has no routes. */
export type SkbRoutesErrorCode =
  /** No skb service was registered in time (the system booted without it, or it failed to start). */
  | "NO_SKB"
  /** The SKB's facts do not describe this core (a board with fewer cores than were booted). */
  | "NO_ROUTES"
  /** The service answered with an error. */
  | "SKB_FAILED"
  /** The service's answer was not the trees asked for. */
  | "BAD_ANSWER";

/** A typed failure of `Monitor.routes()`. */
export class SkbRoutesError extends Error {
  override readonly name = "SkbRoutesError";
  readonly code: SkbRoutesErrorCode;
  constructor(code: SkbRoutesErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** True when `e` is an {@link SkbRoutesError}. */
export function isSkbRoutesError(e: unknown): e is SkbRoutesError {
  return e instanceof SkbRoutesError;
}
