// The contention workloads the primitive tests run, once on plain workers (sync-worker.mjs) and once
// on the OS's team members (os-regions.mjs): the same code over any AtomicMemory. Every primitive sits
// on its own cache line from 0; data from 4096.
import { Barrier, CondVar, Mutex, Semaphore } from "../../dist/src/index.js";

export const DATA = 4096;

/** n non-atomic increments of one word under a Mutex at 0. */
export function mutexIncrements(mem, n) {
  const m = new Mutex(mem, 0);
  for (let i = 0; i < n; i++) {
    m.lock();
    // A non-atomic read-modify-write: only mutual exclusion keeps the total exact.
    mem.setInt32(DATA, mem.getInt32(DATA) + 1);
    m.unlock();
  }
}

/**
 * n rounds of a Barrier at 0 among `threads`: double-buffered slots, round r writes parity r%2 and
 * checks every slot of that parity after the barrier. Returns the stale slots seen (a barrier that
 * let anyone through early leaves one).
 */
export function barrierRounds(mem, tid, threads, n) {
  const b = new Barrier(mem, 0, threads);
  let stale = 0;
  for (let r = 1; r <= n; r++) {
    const base = DATA + (r % 2) * 4 * threads;
    mem.store32(base + 4 * tid, r);
    b.arrive();
    for (let t = 0; t < threads; t++) if (mem.load32(base + 4 * t) !== r) stale++;
  }
  return stale;
}

/**
 * A bounded ring of 8 slots: `items` (at 0) counts full slots, `spaces` (at 64, set to 8 by the
 * caller first) empty ones, a Mutex at 128 guards the indices. A producer sends 1..n; a consumer takes
 * n and returns their sum (a producer returns 0).
 */
export function semaphoreRing(mem, n, producer) {
  const items = new Semaphore(mem, 0);
  const spaces = new Semaphore(mem, 64);
  const m = new Mutex(mem, 128);
  let sum = 0;
  if (producer) {
    for (let i = 1; i <= n; i++) {
      spaces.acquire();
      m.lock();
      const head = mem.getInt32(DATA);
      mem.setInt32(DATA + 16 + (head % 8) * 4, i);
      mem.setInt32(DATA, head + 1);
      m.unlock();
      items.release();
    }
  } else {
    for (let i = 0; i < n; i++) {
      items.acquire();
      m.lock();
      const tail = mem.getInt32(DATA + 4);
      sum += mem.getInt32(DATA + 16 + (tail % 8) * 4);
      mem.setInt32(DATA + 4, tail + 1);
      m.unlock();
      spaces.release();
    }
  }
  return sum;
}

/** The same ring with 4 slots under a Mutex at 0 and two CondVars (64: not empty, 128: not full). */
export function condVarRing(mem, n, producer) {
  const m = new Mutex(mem, 0);
  const notEmpty = new CondVar(mem, 64);
  const notFull = new CondVar(mem, 128);
  let sum = 0;
  if (producer) {
    for (let i = 1; i <= n; i++) {
      m.lock();
      while (mem.getInt32(DATA) - mem.getInt32(DATA + 4) === 4) notFull.wait(m);
      const head = mem.getInt32(DATA);
      mem.setInt32(DATA + 16 + (head % 4) * 4, i);
      mem.setInt32(DATA, head + 1);
      notEmpty.signal();
      m.unlock();
    }
  } else {
    for (let i = 0; i < n; i++) {
      m.lock();
      while (mem.getInt32(DATA) === mem.getInt32(DATA + 4)) notEmpty.wait(m);
      const tail = mem.getInt32(DATA + 4);
      sum += mem.getInt32(DATA + 16 + (tail % 4) * 4);
      mem.setInt32(DATA + 4, tail + 1);
      notFull.signal();
      m.unlock();
    }
  }
  return sum;
}
