/**
 * The capabilities of a urpc message. A message flagged CTRL_CAPS ends in one more overflow run: across
 * threads, the sending kernel's record of its caps (from the core's CapTransport), which the receiving
 * core turns into references of its own; between two bindings of one thread, an empty record, while the
 * CapRefs themselves go through the peer channel's inbox in message order.
 */
import { type CapRef, capTransport } from "../caps.js";

/** A same-thread peer's inbox of caps, in message order. */
export interface CapInbox {
  readonly capInbox: (readonly CapRef[])[];
}

/**
 * The record run that ends a message carrying `caps`. With a same-thread `peer` the caps go into its
 * inbox (checked by the core's transport, when there is one); otherwise the core's transport exports
 * them. Null when caps would cross threads and no transport is installed; throws whatever the
 * transport refuses them with.
 */
export function capRecordRun(caps: readonly CapRef[], peer: CapInbox | undefined): Uint8Array | null {
  const transport = capTransport();
  let record: unknown = [];
  if (peer !== undefined) {
    transport?.check(caps);
    peer.capInbox.push(caps);
  } else if (transport === null) return null;
  else record = transport.outgoing(caps);
  return new TextEncoder().encode(JSON.stringify(record));
}

/**
 * The caps of a received message: the next in `inbox` (a same-thread sender), else the core's import of
 * `record`. A string says why there are none (the message is then bad).
 */
export function receivedCaps(
  num: number,
  inbox: (readonly CapRef[])[],
  record: Uint8Array | undefined,
): readonly CapRef[] | string {
  const c = inbox.shift();
  if (c !== undefined) return c;
  const transport = capTransport();
  if (transport === null || record === undefined)
    return `message ${num} announces capabilities that never came`;
  try {
    return transport.incoming(JSON.parse(new TextDecoder().decode(record)) as unknown);
  } catch (e) {
    return `message ${num} carries capabilities this core refused: ${String(e)}`;
  }
}
