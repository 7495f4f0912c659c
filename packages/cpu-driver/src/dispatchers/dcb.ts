/**
 * A dispatcher control block: the CPU driver's record of one domain's dispatcher on this core (what
 * Barrelfish keeps in the Dispatcher object). The domain's code runs only through upcalls the CPU driver
 * makes into it, so every turn it gets is measured and accounted here.
 */

/** Where a dispatcher is in its life. */
export type DispatcherState = "runnable" | "running" | "blocked" | "exited" | "faulted";

/** What an upcall is for (Barrelfish's run / message / fault entries). */
export type UpcallKind = "run" | "message" | "fault";

/** One dispatcher on this core. */
export class Dcb {
  readonly id: number;
  readonly name: string;
  readonly core: number;
  /** The domain that spawned it (0: the system). */
  readonly parent: number;
  state: DispatcherState = "runnable";
  /** Milliseconds of CPU its upcalls took. */
  cpuMs = 0;
  /** Upcalls run. */
  turns = 0;
  /** Message upcalls (deliveries to its handlers). */
  messages = 0;
  /** Turns longer than the slice. */
  overruns = 0;
  /** The longest turn, in milliseconds (time blocked on a futex word excluded). */
  longestMs = 0;
  /** Milliseconds spent waiting on futex words (blocking or asynchronous): neither CPU time nor overrun. */
  blockedMs = 0;
  /** Futex waits that slept. */
  waits = 0;
  /** Asynchronous futex waits not yet settled: while any is and no upcall runs, the state is `blocked`. */
  pendingWaits = 0;
  exitCode: number | null = null;
  /** Why it faulted or exited, when there is more to say than the code. */
  reason = "";
  readonly startedAt = Date.now();

  constructor(id: number, name: string, core: number, parent: number) {
    this.id = id;
    this.name = name;
    this.core = core;
    this.parent = parent;
  }

  /** True once it exited or faulted. */
  get finished(): boolean {
    return this.state === "exited" || this.state === "faulted";
  }
}
