/**
 * The seam between the distributed capability operations and whatever carries their messages:
 * intermon URPC between monitors in the OS, a seeded simulator in the tests. The operations assume
 * only what URPC gives: each ordered pair of cores is a reliable FIFO channel; there is no order
 * between different channels.
 */
import type { CapMessage } from "./protocol.js";
import type { CoreId } from "./types.js";

/** One core's end of the monitor mesh. */
export interface CapLink {
  /** This core. */
  readonly self: CoreId;
  /** Every core of the machine, this one included, ascending. */
  readonly cores: readonly CoreId[];
  /** Queues `msg` for core `to` (never this core); FIFO per destination, never lost. */
  send(to: CoreId, msg: CapMessage): void;
  /** Installs the handler that the link calls for each message from core `from`, in arrival order. */
  onMessage(handler: (from: CoreId, msg: CapMessage) => void): void;
}
