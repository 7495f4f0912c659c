/**
 * The dispatcher (Barrelfish's waitset): one per thread. It polls every channel opened in this thread,
 * runs their handlers, and when nothing arrives for the spin budget P it blocks on its doorbell with
 * `Atomics.waitAsync`, so the thread's event loop keeps running while it sleeps.
 *
 * Spinning must not starve the rest of the thread: after each batch of polls the loop awaits a microtask
 * turn (so `await client.rpc.x()` continuations run and can send again), and every SLICE_MS it yields to
 * the macrotask queue (timers, I/O, worker messages). P is always bounded (see config.ts).
 */
import { waitAsync } from "../core/platform.js";
import { dispatcherConfig } from "./config.js";
import { createDoorbell, DOORBELL_COUNTER, DOORBELL_SLEEPING, ring, ringIfSleeping } from "./doorbell.js";

/** Something the dispatcher polls: returns true when it did any work (delivered or sent something). */
export interface Pollable {
  poll(): boolean;
}

/** Longest stretch of synchronous polling before yielding to timers and I/O. */
const SLICE_MS = 4;
/** Polls between two microtask turns when idle (amortizes the cost of `await`). */
const POLLS_PER_TURN = 8;
/** Upper bound of one sleep: a safety net only, wake-ups come from the doorbell. */
const MAX_SLEEP_MS = 1000;

/**
 * Adaptive P: start from the configured or derived budget; when a sleep is cut short by new work within
 * a few P (the peer was only being woken or preempted, and both sides blocking in turn would pay the
 * wake-up cost on every exchange), double P for the next idle spell, up to the cap; a long sleep resets it.
 */
function nextBudgetMs(previousMs: number, lastSleepMs: number): number {
  const cfg = dispatcherConfig();
  const baseMs = cfg.spinBudgetNs / 1e6;
  if (cfg.spinBudgetConfigured || previousMs === 0) return baseMs;
  if (lastSleepMs >= 0 && lastSleepMs < 4 * previousMs) return Math.min(cfg.spinCapNs / 1e6, previousMs * 2);
  return baseMs;
}

const yieldToMacrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Counters of one thread's dispatcher, for tuning and the docs' measurements. */
export interface DispatcherStats {
  /** Times the dispatcher blocked on its doorbell after spinning for P. */
  sleeps: number;
  /** Macrotask yields while spinning (every few ms). */
  yields: number;
}

class Dispatcher {
  /** Counters since the thread started. */
  readonly stats: DispatcherStats = { sleeps: 0, yields: 0 };
  /** This thread's doorbell; peers ring it. */
  readonly doorbell: Int32Array = createDoorbell();
  private members: Pollable[] = [];
  private running = false;

  /** Starts polling `p` (and the loop, if it was not running). */
  add(p: Pollable): void {
    // Copy on write: the loop iterates a snapshot, so members may leave from inside a handler.
    this.members = [...this.members, p];
    if (this.running) ring(this.doorbell);
    else void this.run();
  }

  /** Stops polling `p`; the loop ends when no member is left. */
  remove(p: Pollable): void {
    const i = this.members.indexOf(p);
    if (i < 0) return;
    this.members = this.members.filter((m) => m !== p);
    if (this.members.length === 0) ring(this.doorbell);
  }

  /** Wakes the loop if it sleeps (used after local state changes that are not ring messages). */
  kick(): void {
    ringIfSleeping(this.doorbell);
  }

  private pollAll(): boolean {
    const ms = this.members;
    let work = false;
    for (let i = 0; i < ms.length; i++) {
      if ((ms[i] as Pollable).poll()) work = true;
    }
    return work;
  }

  private async run(): Promise<void> {
    this.running = true;
    const bell = this.doorbell;
    try {
      let budgetMs = 0;
      let sleptAt = Number.NEGATIVE_INFINITY;
      let wokeAt = Number.NEGATIVE_INFINITY;
      while (this.members.length > 0) {
        budgetMs = nextBudgetMs(budgetMs, wokeAt - sleptAt);
        let idleSince = performance.now();
        let sliceStart = idleSince;
        // Spin phase: poll, let continuations run, give up after P without work.
        for (;;) {
          let work = false;
          for (let k = 0; k < POLLS_PER_TURN && !work; k++) work = this.pollAll();
          await undefined;
          if (this.members.length === 0) break;
          const now = performance.now();
          if (work) idleSince = now;
          else if (now - idleSince >= budgetMs) break;
          if (now - sliceStart >= SLICE_MS) {
            this.stats.yields++;
            await yieldToMacrotasks();
            sliceStart = performance.now();
          }
        }
        if (this.members.length === 0) break;
        // Sleep phase: counter first, then the flag, then one more look (lost wake-up note in doorbell.ts).
        const seen = Atomics.load(bell, DOORBELL_COUNTER);
        Atomics.store(bell, DOORBELL_SLEEPING, 1);
        if (!this.pollAll()) {
          this.stats.sleeps++;
          sleptAt = performance.now();
          const w = waitAsync(bell, DOORBELL_COUNTER, seen, MAX_SLEEP_MS);
          if (w.async) await w.value;
          wokeAt = performance.now();
        } else {
          sleptAt = Number.NEGATIVE_INFINITY;
        }
        Atomics.store(bell, DOORBELL_SLEEPING, 0);
        // Let continuations of whatever the last poll delivered run before spinning again.
        await undefined;
      }
    } finally {
      this.running = false;
    }
  }
}

let instance: Dispatcher | undefined;

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
