/**
 * Same-core bindings (lrpc) of the domains on this core. They live in no frame and no monitor stands
 * between their ends, so nothing else would notice when a domain exits without closing them: its
 * peer would keep calling a dead domain and never run its `onClose`. On exit, each of the domain's
 * lrpc ends is closed, which closes the other end too (CLOSED there).
 */
import type { Dcb } from "@shoal/cpu-driver";

/** A binding end as far as closing goes (what the monitor keeps of every end it may close). */
export interface ClosableBinding {
  readonly closed: boolean;
  close(): Promise<void>;
}

/** The lrpc binding ends of each domain on one core. */
export class LocalBindings {
  readonly #ends = new Map<Dcb, { bindings: ClosableBinding[]; pruneAt: number }>();

  /** Records that `binding` is an lrpc end held by domain `dcb`. */
  add(dcb: Dcb, binding: ClosableBinding): void {
    let e = this.#ends.get(dcb);
    if (e === undefined) {
      e = { bindings: [], pruneAt: 16 };
      this.#ends.set(dcb, e);
    }
    e.bindings.push(binding);
    // A long-lived domain that binds and closes often: forget the closed ends now and then.
    if (e.bindings.length >= e.pruneAt) {
      e.bindings = e.bindings.filter((b) => !b.closed);
      e.pruneAt = Math.max(16, e.bindings.length * 2);
    }
  }

  /** Domain `dcb` finished: its lrpc ends close (and so do their peers). */
  domainExited(dcb: Dcb): void {
    const e = this.#ends.get(dcb);
    if (e === undefined) return;
    this.#ends.delete(dcb);
    for (const b of e.bindings) if (!b.closed) void b.close().catch(() => {});
  }
}
