/**
 * The dispatcher (Barrelfish's waitset): one per thread. It polls every channel opened in this thread,
 * runs their handlers, and when nothing arrives for the spin budget P it blocks on its doorbell with
 * `Atomics.waitAsync`, so the thread's event loop keeps running while it sleeps.
 *
 * Spinning must not starve the rest of the thread. The loop is a chain of microtasks, not a synchronous
 * loop: each turn polls a few times and then queues the next turn, so the continuations that a handler
 * released (`await client.rpc.x()`) run between turns and can send again; every SLICE_MS the chain hops
 * through setImmediate so timers, I/O and worker messages get their turn. P is always bounded.
 *
 *   spin ──(no work for P)──► sleep: counter read, flag set, one more poll, waitAsync ──(rung)──► spin
 *     ▲   └─(every SLICE_MS)─► setImmediate ─┘
 */
import { waitAsync } from "../core/platform.js";
import { notSpinning, spinners, spinning } from "./census.js";
import { dispatcherConfig } from "./config.js";
import { createDoorbell, DOORBELL_COUNTER, DOORBELL_SLEEPING, ring, ringIfSleeping } from "./doorbell.js";

/** Something the dispatcher polls: returns true when it did any work (delivered or sent something). */
export interface Pollable {
  /**
   * `final` is true for the last look before the dispatcher blocks, and for a thorough look every
   * TURNS_PER_CLOCK turns (a few microseconds of spinning): anything a member checks only now and
   * then, to keep idle polls as cheap as one load, is checked then.
   */
  poll(final: boolean): boolean;
  /**
   * Called before the dispatcher blocks (after its sleeping flag is set, before the final poll): a member
   * whose senders would not look at that flag marks where it waits. False when something is already
   * there, and the dispatcher does not block.
   */
  prepareSleep?(): boolean;
  /** Called when the dispatcher runs again after {@link prepareSleep}: take the marks back. */
  endSleep?(): void;
  /**
   * `poll` threw `error` (a bug, or input no check foresaw): the member must close itself; the
   * dispatcher has already stopped polling it, and goes on with the others.
   */
  pollFailed?(error: unknown): void;
}

/** Counters of one thread's dispatcher, for tuning and the docs' measurements. */
export interface DispatcherStats {
  /** Times the dispatcher blocked on its doorbell after spinning for P. */
  sleeps: number;
  /** Macrotask yields while spinning (every few ms). */
  yields: number;
  /** Sleeps that ended by the safety timeout rather than by the doorbell. */
  timeouts: number;
  /** Times the adaptive spin budget was raised after a sleep cut short. */
  budgetRaises: number;
}

/** Longest stretch of microtask-only spinning before yielding to timers and I/O. */
const SLICE_MS = 4;
/** Polls per idle turn (amortizes the cost of queueing a microtask). */
const POLLS_PER_TURN = 32;
/**
 * Polls a turn may go on for after every handler replied (sent on a ring): the answer to that reply is
 * the next thing to come, and catching it without the ~70 ns hop to the next turn halves the detection
 * delay of a ping-pong. Bounded, so continuations wait at most MAX_POLLS_PER_TURN polls.
 */
const POLLS_AFTER_REPLY = 64;
const MAX_POLLS_PER_TURN = 128;
/** Turns between two looks at the clock (performance.now() costs about as much as a poll). */
const TURNS_PER_CLOCK = 16;
/**
 * Turns are chained with `.then` on a settled promise: measured on these machines it costs ~70 ns,
 * against ~110-160 ns for `await` in an async loop and ~250 ns for queueMicrotask. performance.now()
 * costs ~110 ns here (no vDSO clock on the VM), hence TURNS_PER_CLOCK.
 */
const NEXT_TURN: Promise<void> = Promise.resolve();
/** `process.nextTick` where there is one (Node), else the next microtask. */
const nextTick: (fn: () => void) => void =
  (globalThis as { process?: { nextTick?: (fn: () => void) => void } }).process?.nextTick ??
  ((fn) => {
    NEXT_TURN.then(fn);
  });
/** Upper bound of one sleep: a safety net only, wake-ups come from the doorbell. */
const MAX_SLEEP_MS = 1000;

/**
 * This thread's ring traffic, bumped by its channels: `sent` counts ring sends; `unanswered` counts
 * deliveries whose handler sent nothing, such as an rpc response, which may have released continuations
 * (`await client.rpc.x()`) that should run before the turn polls on. Both wrap as int32 (`| 0`), so
 * they stay small integers in V8 however long the thread runs; only whether they changed is compared.
 */
export const traffic = { sent: 0, unanswered: 0 };

class Dispatcher {
  /** Counters since the thread started. */
  readonly stats: DispatcherStats = { sleeps: 0, yields: 0, timeouts: 0, budgetRaises: 0 };
  /** This thread's doorbell; peers ring it (in shared memory of its own, or where useDoorbell put it). */
  readonly doorbell: Int32Array = chosenDoorbell ?? createDoorbell();
  /**
   * Keeps the event loop alive while a member without a MessagePort is open (`waitAsync` does not):
   * urpc channels over a region of physical memory have no port to hold it.
   */
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  private portless = 0;

  /** A member that no MessagePort keeps alive joined (`+1`) or left (`-1`). */
  holdOpen(delta: 1 | -1): void {
    this.portless += delta;
    if (this.portless > 0 && this.keepAlive === undefined) this.keepAlive = setInterval(() => {}, 1 << 30);
    else if (this.portless === 0 && this.keepAlive !== undefined) {
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
    }
  }
  private members: Pollable[] = [];
  private running = false;
  // Spin state.
  private budgetMs = 0;
  private idleSince = 0;
  private sliceStart = 0;
  private turns = 0;
  private workInWindow = false;
  private sleptAt = Number.NEGATIVE_INFINITY;
  private readonly turnFn = (): void => this.turn();
  private readonly wokeFn = (how: "ok" | "timed-out"): void => {
    if (how === "timed-out") this.stats.timeouts++;
    this.woke();
  };

  /** Starts polling `p` (and the loop, if it was not running). */
  add(p: Pollable): void {
    // Copy on write: a turn iterates a snapshot, so members may leave from inside a handler.
    this.members = [...this.members, p];
    if (this.running) ring(this.doorbell);
    else this.start();
  }

  /** Stops polling `p`; the loop ends when no member is left. */
  remove(p: Pollable): void {
    if (!this.members.includes(p)) return;
    this.members = this.members.filter((m) => m !== p);
    if (this.members.length === 0) ring(this.doorbell);
  }

  /** Wakes the loop if it sleeps (used after local state changes that are not ring messages). */
  kick(): void {
    ringIfSleeping(this.doorbell);
  }

  private pollAll(final = false): boolean {
    const ms = this.members;
    let work = false;
    for (let i = 0; i < ms.length; i++) {
      // One channel's fault must not stop the thread's other channels: it is contained here.
      try {
        if ((ms[i] as Pollable).poll(final)) work = true;
      } catch (e) {
        this.failed(ms[i] as Pollable, e);
        work = true;
      }
    }
    return work;
  }

  /** A member's poll threw: it leaves the dispatcher and is told to close; the others go on. */
  private failed(p: Pollable, error: unknown): void {
    this.remove(p);
    try {
      p.pollFailed?.(error);
    } catch {
      // Nothing is left to tell: the member is out of the loop either way.
    }
  }

  private start(): void {
    this.running = true;
    spinning();
    this.budgetMs = dispatcherConfig().spinBudgetNs / 1e6;
    this.beginSpin();
    NEXT_TURN.then(this.turnFn);
  }

  private beginSpin(): void {
    const now = performance.now();
    this.idleSince = now;
    this.sliceStart = now;
    this.turns = 0;
    this.workInWindow = false;
  }

  /** One spin turn (a microtask). */
  private turn(): void {
    if (this.members.length === 0) {
      this.running = false;
      notSpinning();
      return;
    }
    let work = false;
    let budget = POLLS_PER_TURN;
    for (let k = 0; k < budget; k++) {
      const quiet = traffic.unanswered;
      if (this.pollAll()) {
        work = true;
        // A delivery sent nothing: it may have released continuations; let them run now. (Counting
        // sends instead missed this when the same pass also answered another message, as when both
        // ends of an rpc live in this thread: the caller's continuation then waited out the budget.)
        if (traffic.unanswered !== quiet) break;
        budget = Math.min(MAX_POLLS_PER_TURN, k + 1 + POLLS_AFTER_REPLY);
      }
    }
    if (work) this.workInWindow = true;
    if (++this.turns % TURNS_PER_CLOCK === 0) {
      if (this.pollAll(true)) this.workInWindow = true;
      const now = performance.now();
      if (this.workInWindow) {
        this.idleSince = now;
        this.workInWindow = false;
      } else if (now - this.idleSince >= this.budgetMs) {
        this.sleep();
        return;
      }
      if (now - this.sliceStart >= SLICE_MS) {
        this.stats.yields++;
        this.sliceStart = now;
        setImmediate(this.turnFn);
        return;
      }
      // Hop through the tick queue now and then: a chain of microtasks never lets process.nextTick
      // callbacks in (Node runs them only once the microtask queue is empty), and Node's streams and
      // http defer steps to them, so each step waited out the slice (mean 5 ms per tick measured in an
      // HTTP server domain). The hop runs the ticks queued before it, then this turn.
      nextTick(this.turnFn);
      return;
    }
    NEXT_TURN.then(this.turnFn);
  }

  /** Blocks on the doorbell (lost wake-up protocol in doorbell.ts). */
  private sleep(): void {
    const bell = this.doorbell;
    const seen = Atomics.load(bell, DOORBELL_COUNTER);
    Atomics.store(bell, DOORBELL_SLEEPING, 1);
    if (this.members.length > 0 && this.prepareSleep() && !this.pollAll(true)) {
      this.stats.sleeps++;
      this.sleptAt = performance.now();
      const w = waitAsync(bell, DOORBELL_COUNTER, seen, MAX_SLEEP_MS);
      if (w.async) {
        notSpinning();
        void w.value.then(this.wokeFn);
        return;
      }
    } else {
      this.sleptAt = Number.NEGATIVE_INFINITY;
    }
    this.resume();
  }

  /** Lets every member mark where it waits; false when one of them already has work. */
  private prepareSleep(): boolean {
    const ms = this.members;
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i] as Pollable;
      try {
        if (m.prepareSleep !== undefined && !m.prepareSleep()) return false;
      } catch (e) {
        this.failed(m, e);
        return false;
      }
    }
    return true;
  }

  /** Back from a real sleep: counted as spinning again. */
  private woke(): void {
    spinning();
    this.resume();
  }

  private resume(): void {
    Atomics.store(this.doorbell, DOORBELL_SLEEPING, 0);
    const ms = this.members;
    for (let i = 0; i < ms.length; i++) (ms[i] as Pollable).endSleep?.();
    const slept = performance.now() - this.sleptAt;
    const budget = nextBudgetMs(this.budgetMs, slept, spinners());
    if (budget > this.budgetMs) this.stats.budgetRaises++;
    this.budgetMs = budget;
    this.beginSpin();
    // A microtask, so continuations of whatever the last poll delivered run before spinning again.
    NEXT_TURN.then(this.turnFn);
  }
}

/**
 * Adaptive P: start from the configured or derived budget; when a sleep is cut short by new work within
 * a few P (the peer was only being woken or preempted, and both sides blocking in turn would pay the
 * wake-up cost on every exchange), double P for the next idle spell, up to the cap; a long sleep resets it.
 * But only while the threads spinning (`competing`, this one included) do not outnumber the CPUs: beyond
 * that a short sleep means the peer was preempted by spinners, and spinning longer only feeds that, so
 * the budget stays at its base (and is cut to the minimum when spinners are more than twice the CPUs).
 */
export function nextBudgetMs(previousMs: number, lastSleepMs: number, competing: number): number {
  const cfg = dispatcherConfig();
  const baseMs = cfg.spinBudgetNs / 1e6;
  if (cfg.spinBudgetConfigured) return baseMs;
  if (competing > 2 * cfg.cores) return Math.min(baseMs, MIN_CROWDED_BUDGET_MS);
  if (competing > cfg.cores) return baseMs;
  if (lastSleepMs >= 0 && lastSleepMs < 4 * previousMs)
    return Math.min(cfg.spinCapNs / 1e6, Math.max(baseMs, previousMs * 2));
  return baseMs;
}

/** P when spinners outnumber the CPUs more than twice: just long enough to catch an immediate answer. */
const MIN_CROWDED_BUDGET_MS = 0.005;

let instance: Dispatcher | undefined;
let chosenDoorbell: Int32Array | undefined;

/**
 * Makes `bell` this thread's doorbell: how a core puts its doorbell into the machine's physical memory,
 * where channels over that memory find it without a MessagePort. Only before the thread's dispatcher
 * exists (a doorbell cannot move under peers that hold it); returns whether it took effect.
 */
export function useDoorbell(bell: Int32Array): boolean {
  if (instance !== undefined) return instance.doorbell === bell;
  chosenDoorbell = bell;
  return true;
}

/** This thread's dispatcher. */
export function dispatcher(): Dispatcher {
  instance ??= new Dispatcher();
  return instance;
}

/** A snapshot of this thread's dispatcher counters. */
export function dispatcherStats(): DispatcherStats {
  return { ...dispatcher().stats };
}

export type { Dispatcher };

/**
 * Makes this thread's dispatcher poll `member` beside its channels, until the returned function is
 * called: for OS code that watches words of shared memory (a monitor's mesh requests) in the same
 * poll-then-block loop as the channels. An idle poll must be cheap (a load or two); `prepareSleep`
 * returning false keeps the thread awake when something is already there. Like a port-less channel, the
 * member keeps the thread's event loop alive while it is polled.
 */
export function pollWith(member: Pollable): () => void {
  const d = dispatcher();
  d.add(member);
  d.holdOpen(1);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    d.remove(member);
    d.holdOpen(-1);
  };
}
