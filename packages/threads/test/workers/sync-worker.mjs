// A test worker: runs one contention scenario over the built library, posts its result, exits.
import { parentPort, workerData } from "node:worker_threads";
import { RwLock, SabMemory, TicketMutex } from "../../dist/src/index.js";
import { barrierRounds, condVarRing, DATA, mutexIncrements, semaphoreRing } from "./contention.mjs";

const { scenario, tid, threads, n, handle } = workerData;
const mem = SabMemory.open(handle);
let result = 0;

switch (scenario) {
  case "mutex": {
    mutexIncrements(mem, n);
    break;
  }
  case "ticket": {
    const m = new TicketMutex(mem, 0);
    for (let i = 0; i < n; i++) {
      m.lock();
      mem.setInt32(DATA, mem.getInt32(DATA) + 1);
      // Record the order of holders: FIFO means no thread holds twice while another is queued
      // longer than one full round; checked by the parent from the per-thread counts.
      m.unlock();
    }
    break;
  }
  case "semaphore": {
    // `spaces` was set to 8 by the parent.
    result = semaphoreRing(mem, n, tid < threads / 2);
    break;
  }
  case "condvar": {
    result = condVarRing(mem, n, tid < threads / 2);
    break;
  }
  case "rwlock": {
    const rw = new RwLock(mem, 0);
    // Writers keep two words equal; readers count the times they see them differ.
    if (tid === 0) {
      for (let i = 0; i < n; i++) {
        rw.writeLock();
        mem.setInt32(DATA, mem.getInt32(DATA) + 1);
        for (let k = 0; k < 20; k++) mem.setInt32(DATA + 8, k); // widen the window
        mem.setInt32(DATA + 4, mem.getInt32(DATA + 4) + 1);
        rw.writeUnlock();
      }
      mem.store32(DATA + 64, 1);
    } else {
      while (mem.load32(DATA + 64) === 0) {
        rw.readLock();
        if (mem.getInt32(DATA) !== mem.getInt32(DATA + 4)) result++;
        rw.readUnlock();
      }
    }
    break;
  }
  case "rwlock-writer-progress": {
    // Readers keep read holds overlapping without a gap; a reader-preferring lock would starve the
    // writer forever (the test's timeout fails). The writer stops the readers once it got in.
    const rw = new RwLock(mem, 0);
    if (tid === 0) {
      for (let c = mem.load32(DATA + 4); c < threads - 1; c = mem.load32(DATA + 4))
        mem.wait32(DATA + 4, c, 1);
      rw.writeLock();
      mem.store32(DATA, 1);
      rw.writeUnlock();
    } else {
      rw.readLock();
      mem.add32(DATA + 4, 1);
      while (mem.load32(DATA) === 0) {
        // Take a second hold before dropping the first, so the read side is never empty; when a
        // waiting writer refuses it, drop ours and queue behind the writer.
        if (rw.tryReadLock()) {
          rw.readUnlock();
        } else {
          rw.readUnlock();
          rw.readLock();
        }
        result++;
      }
      rw.readUnlock();
    }
    break;
  }
  case "barrier": {
    result = barrierRounds(mem, tid, threads, n);
    break;
  }
  default:
    throw new Error(`unknown scenario ${scenario}`);
}
parentPort.postMessage(result);
