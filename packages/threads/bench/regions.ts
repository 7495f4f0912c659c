// Regions and thread entries the bench runs (built to dist/bench/regions.js).
import { Barrier, type MemoryArg, Mutex, openMemory, type Par } from "../src/index.js";

/** Every member takes and drops one mutex `n` times; member 0 reports ns per acquisition (all members). */
export function mutexContended(par: Par, arg: { memory: MemoryArg; n: number }): number {
  const mem = openMemory(arg.memory);
  const m = new Mutex(mem, 0);
  par.barrier();
  const t0 = performance.now();
  for (let i = 0; i < arg.n; i++) {
    m.lock();
    mem.setInt32(64, mem.getInt32(64) + 1);
    m.unlock();
  }
  par.barrier();
  return ((performance.now() - t0) * 1e6) / (arg.n * par.nthreads);
}

/** Member 0 takes and drops a mutex nobody else wants `n` times; ns per lock+unlock. */
export function mutexUncontended(par: Par, arg: { memory: MemoryArg; n: number }): number {
  const m = new Mutex(openMemory(arg.memory), 0);
  const t0 = performance.now();
  if (par.tid === 0)
    for (let i = 0; i < arg.n; i++) {
      m.lock();
      m.unlock();
    }
  return ((performance.now() - t0) * 1e6) / arg.n;
}

/** `rounds` rounds of a library Barrier among all members; ns per round. */
export function barrierRounds(par: Par, arg: { memory: MemoryArg; rounds: number }): number {
  const b = new Barrier(openMemory(arg.memory), 0, par.nthreads);
  b.arrive();
  const t0 = performance.now();
  for (let r = 0; r < arg.rounds; r++) b.arrive();
  return ((performance.now() - t0) * 1e6) / arg.rounds;
}

/** A thread that does nothing (create + join cost). */
export function noop(): number {
  return 0;
}
