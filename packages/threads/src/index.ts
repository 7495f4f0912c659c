/**
 * @shoal/threads: user-level threads and synchronisation for shoal domains, a BOMP-like parallel-for
 * runtime, and the NAS/SPLASH-style workloads that measure them (docs/threads.md).
 */
export { isThreadsError, ThreadsError, type ThreadsErrorCode } from "./errors.js";
export type { AtomicMemory, WaitOutcome } from "./memory/atomic-memory.js";
export { Layout } from "./memory/layout.js";
export { SabMemory, type SharedMemoryHandle } from "./memory/sab-memory.js";
export { BARRIER_BYTES, Barrier } from "./sync/barrier.js";
export { CONDVAR_BYTES, CondVar } from "./sync/condvar.js";
export { MUTEX_BYTES, Mutex, TICKET_MUTEX_BYTES, TicketMutex } from "./sync/mutex.js";
export { RWLOCK_BYTES, RwLock } from "./sync/rwlock.js";
export { SEMAPHORE_BYTES, Semaphore } from "./sync/semaphore.js";
export { DEFAULT_SPIN } from "./sync/spin.js";
