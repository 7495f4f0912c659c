// Contention regions for the team on the OS (built JS, imported by the member domains by URL): each
// runs on every member, a dispatcher of its own on its own booted core, over the team's data frame
// (a FrameMemory: atomics and waits on the frame's physical words through each core's MMU).
import { openMemory, Semaphore } from "../../dist/src/index.js";
import { barrierRounds, condVarRing, DATA, mutexIncrements, semaphoreRing } from "./contention.mjs";

/** n non-atomic increments of one word under a Mutex on every member; returns the final count. */
export function osMutex(par, { memory, n }) {
  const mem = openMemory(memory);
  mutexIncrements(mem, n);
  par.barrier();
  return mem.getInt32(DATA);
}

/** n rounds of a Barrier; counts slots of this round's parity that were not written this round. */
export function osBarrier(par, { memory, n }) {
  return barrierRounds(openMemory(memory), par.tid, par.nthreads, n);
}

/**
 * A bounded ring of 8 slots between producers (even tids) and consumers (odd tids) under two
 * semaphores and a mutex; each producer sends 1..n. Returns what a consumer summed (0 for producers).
 * A lost wake-up leaves someone asleep for ever: the run times out.
 */
export function osSemaphore(par, { memory, n }) {
  const mem = openMemory(memory);
  if (par.tid === 0) new Semaphore(mem, 64).init(8);
  par.barrier();
  return semaphoreRing(mem, n, par.tid % 2 === 0);
}

/** The same ring of 4 slots under a Mutex and two CondVars. */
export function osCondVar(par, { memory, n }) {
  return condVarRing(openMemory(memory), n, par.tid % 2 === 0);
}

/** Member 1 throws; the others return. The master must report the error. */
export function osThrows(par) {
  if (par.tid === 1) throw new RangeError("member 1 gave up");
  return par.tid;
}
