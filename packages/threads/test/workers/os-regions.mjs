// Contention regions for the team on the OS (built JS, imported by the member domains by URL): each
// runs on every member, a dispatcher of its own on its own booted core, over the team's data frame
// (a FrameMemory: atomics and waits on the frame's physical words through each core's MMU).
import { Barrier, CondVar, Mutex, openMemory, Semaphore } from "../../dist/src/index.js";

// Every primitive on its own cache line from 0; data from 4096.
const DATA = 4096;

/** n non-atomic increments of one word under a Mutex on every member; returns the final count. */
export function osMutex(par, { memory, n }) {
  const mem = openMemory(memory);
  const m = new Mutex(mem, 0);
  for (let i = 0; i < n; i++) {
    m.lock();
    // A plain read-modify-write: only mutual exclusion keeps the total exact.
    mem.setInt32(DATA, mem.getInt32(DATA) + 1);
    m.unlock();
  }
  par.barrier();
  return mem.getInt32(DATA);
}

/** n rounds of a Barrier; counts slots of this round's parity that were not written this round. */
export function osBarrier(par, { memory, n }) {
  const mem = openMemory(memory);
  const b = new Barrier(mem, 0, par.nthreads);
  let stale = 0;
  for (let r = 1; r <= n; r++) {
    const base = DATA + (r % 2) * 4 * par.nthreads;
    mem.store32(base + 4 * par.tid, r);
    b.arrive();
    for (let t = 0; t < par.nthreads; t++) if (mem.load32(base + 4 * t) !== r) stale++;
  }
  return stale;
}

/**
 * A bounded ring of 8 slots between producers (even tids) and consumers (odd tids) under two
 * semaphores and a mutex; each producer sends 1..n. Returns what a consumer summed (0 for producers).
 * A lost wake-up leaves someone asleep for ever: the run times out.
 */
export function osSemaphore(par, { memory, n }) {
  const mem = openMemory(memory);
  const items = new Semaphore(mem, 0);
  const spaces = new Semaphore(mem, 64);
  const m = new Mutex(mem, 128);
  if (par.tid === 0) spaces.init(8);
  par.barrier();
  let sum = 0;
  if (par.tid % 2 === 0) {
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

/** The same ring of 4 slots under a Mutex and two CondVars. */
export function osCondVar(par, { memory, n }) {
  const mem = openMemory(memory);
  const m = new Mutex(mem, 0);
  const notEmpty = new CondVar(mem, 64);
  const notFull = new CondVar(mem, 128);
  let sum = 0;
  if (par.tid % 2 === 0) {
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

/** Member 1 throws; the others return. The master must report the error. */
export function osThrows(par) {
  if (par.tid === 1) throw new RangeError("member 1 gave up");
  return par.tid;
}
