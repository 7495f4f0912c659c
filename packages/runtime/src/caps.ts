/**
 * Capability references as the stubs see them. Capabilities never travel inside lines: a channel
 * carries them out of band (see `Channel.send`). A CapRef names a slot of one domain's CSpace; only
 * the CPU driver that issued it can tell a real one from a forged one (it keeps the references it
 * handed out), so the fields here are for display, never authority. Between threads, a channel moves
 * caps only through the {@link CapTransport} its core installed (else it refuses with CAP_TRANSFER).
 */
export class CapRef {
  /** A human-readable description, for logs and errors. */
  readonly description: string;
  /** The slot it names in its domain's CSpace (-1: none), for display. */
  readonly slot: number;
  constructor(description: string, slot = -1) {
    this.description = description;
    this.slot = slot;
  }
}

/**
 * How caps leave and enter a thread: installed once per thread by the core (its CPU driver). Channels
 * call it only for messages that carry caps. `check` refuses (throws, typed) a cap the sender may not
 * pass on: a forged reference or one lacking the GRANT right; same-thread channels then hand the
 * CapRefs over as they are. Across threads `outgoing` turns them into plain data the kernel vouches for
 * (it travels with the message) and `incoming`, on the receiving core, makes new references from it.
 */
export interface CapTransport {
  check(caps: readonly CapRef[]): void;
  outgoing(caps: readonly CapRef[]): unknown;
  incoming(data: unknown): readonly CapRef[];
}

let transport: CapTransport | null = null;

/** Installs this thread's cap transport (the core does, at boot). */
export function useCapTransport(t: CapTransport | null): void {
  transport = t;
}

/** This thread's cap transport, or null. */
export function capTransport(): CapTransport | null {
  return transport;
}

/**
 * What a stub calls before sending caps: the error the core's kernel refuses them with (forged, no
 * GRANT), or null when they may go (or no transport is installed: same-thread tests pass CapRefs as is).
 */
export function checkCaps(caps: readonly CapRef[]): unknown {
  if (transport === null) return null;
  try {
    transport.check(caps);
    return null;
  } catch (e) {
    return e;
  }
}
