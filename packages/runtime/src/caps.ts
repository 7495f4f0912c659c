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
 * How caps cross threads: installed once per thread by the core (its CPU driver and monitor). The
 * sender's side turns its CapRefs into plain data (`outgoing`, refusing forged ones by throwing), the
 * receiver's side turns that data into CapRefs of the receiving domain's CSpace (`incoming`).
 */
export interface CapTransport {
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
