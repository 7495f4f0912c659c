// A test worker: runs one contention scenario over the built library, posts its result, exits.
import { parentPort, workerData } from "node:worker_threads";
import { Barrier, CondVar, Mutex, RwLock, SabMemory, Semaphore, TicketMutex } from "../../dist/src/index.js";

const { scenario, tid, threads, n, handle } = workerData;
const mem = SabMemory.open(handle);
// Offsets: every primitive on its own cache line from 0; data from 4096.
const DATA = 4096;
let result = 0;

switch (scenario) {
  case "mutex": {
    const m = new Mutex(mem, 0);
    for (let i = 0; i < n; i++) {
      m.lock();
      // A non-atomic read-modify-write: only mutual exclusion keeps it exact.
      mem.setInt32(DATA, mem.getInt32(DATA) + 1);
      m.unlock();
    }
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
    // Bounded ring of 8 slots: `items` counts full slots, `spaces` empty ones; a mutex guards the indices.
    const items = new Semaphore(mem, 0);
    const spaces = new Semaphore(mem, 64);
    const m = new Mutex(mem, 128);
    const producers = threads / 2;
    if (tid < producers) {
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
        result += mem.getInt32(DATA + 16 + (tail % 8) * 4);
        mem.setInt32(DATA + 4, tail + 1);
        m.unlock();
        spaces.release();
      }
    }
    break;
  }
  case "condvar": {
    const m = new Mutex(mem, 0);
    const notEmpty = new CondVar(mem, 64);
    const notFull = new CondVar(mem, 128);
    const producers = threads / 2;
    if (tid < producers) {
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
        result += mem.getInt32(DATA + 16 + (tail % 4) * 4);
        mem.setInt32(DATA + 4, tail + 1);
        notFull.signal();
        m.unlock();
      }
    }
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
    const b = new Barrier(mem, 0, threads);
    // Double-buffered slots: round r writes parity r%2, checks every slot of that parity after the
    // barrier. A barrier that let anyone through early would leave a stale slot.
    for (let r = 1; r <= n; r++) {
      const base = DATA + (r % 2) * 4 * threads;
      mem.store32(base + 4 * tid, r);
      b.arrive();
      for (let t = 0; t < threads; t++) if (mem.load32(base + 4 * t) !== r) result++;
    }
    break;
  }
  default:
    throw new Error(`unknown scenario ${scenario}`);
}
parentPort.postMessage(result);
