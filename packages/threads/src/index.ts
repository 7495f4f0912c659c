/**
 * @shoal/threads: user-level threads and synchronisation for shoal domains, a BOMP-like parallel-for
 * runtime, and the NAS/SPLASH-style workloads that measure them (docs/threads.md).
 */

export { type BarnesArg, type BarnesResult, barnesLayout, barnesRegion } from "./barnes/barnes.js";
export { RawTeam } from "./baseline/raw-team.js";
export { isThreadsError, ThreadsError, type ThreadsErrorCode } from "./errors.js";
export type { AtomicMemory, WaitOutcome } from "./memory/atomic-memory.js";
export { FrameMemory, type FrameWords } from "./memory/frame-memory.js";
export { Layout } from "./memory/layout.js";
export { type MemoryArg, openMemory } from "./memory/open.js";
export { SabMemory, type SharedMemoryHandle } from "./memory/sab-memory.js";
export { type CgArg, type CgResult, cgLayout, cgRegion } from "./nas/cg.js";
export { CG_CLASSES, FT_CLASSES, IS_CLASSES, type NasClass } from "./nas/classes.js";
export { type FtArg, type FtResult, ftLayout, ftRegion } from "./nas/ft.js";
export { type IsArg, type IsResult, isLayout, isRegion } from "./nas/is.js";
export { type RuntimeKind, runWorkload } from "./nas/run.js";
export { BARRIER_BYTES, Barrier } from "./sync/barrier.js";
export { CONDVAR_BYTES, CondVar } from "./sync/condvar.js";
export { MUTEX_BYTES, Mutex, TICKET_MUTEX_BYTES, TicketMutex } from "./sync/mutex.js";
export { RWLOCK_BYTES, RwLock } from "./sync/rwlock.js";
export { SEMAPHORE_BYTES, Semaphore } from "./sync/semaphore.js";
export { DEFAULT_SPIN } from "./sync/spin.js";
export { TeamContext } from "./team/context.js";
export { type Executor, type ExecutorMember, workerExecutor } from "./team/executor.js";
export { type Par, type Region, staticRange } from "./team/par.js";
export { Team, type TeamOptions } from "./team/team.js";
export { currentThread, ThreadLocal, type ThreadSelf } from "./threads/current.js";
export type { ThreadEntry, ThreadOutcome } from "./threads/protocol.js";
export { type ThreadHandle, ThreadSystem, type ThreadSystemOptions } from "./threads/system.js";
