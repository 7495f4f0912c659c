// Thread entries for the ThreadSystem tests (built JS: schedulers import them by URL).
import { currentThread, Mutex, SabMemory, ThreadLocal } from "../../dist/src/index.js";

export function exitCode(_self, n) {
  return n;
}

export function thrower() {
  throw new TypeError("bad input 42");
}

function deep(self) {
  self.exit(7);
}
export async function exitEarly(self) {
  await self.yield();
  deep(self);
  return 1;
}

const slot = new ThreadLocal(() => ({ owner: currentThread().id, count: 0 }));
/** Interleaves with its siblings on one core; its TLS must stay its own across every yield. */
export async function tls(self, rounds) {
  for (let i = 0; i < rounds; i++) {
    slot.get().count++;
    await self.yield();
    if (slot.get().owner !== self.id)
      throw new Error(`thread ${self.id} saw thread ${slot.get().owner}'s TLS`);
  }
  return slot.get().count;
}

export function whoami(self) {
  return { value: self.core };
}

/** Creates one thread on every core (cross-core create), joins them all, returns their cores. */
export async function spawner(self, cores) {
  const ids = [];
  for (let c = 0; c < cores; c++)
    ids.push(await self.create({ module: import.meta.url, name: "whoami" }, null, { core: c }));
  const out = [];
  for (const id of ids) out.push((await self.join(id)).value.value);
  return { cores: out };
}

export async function joinsAThrower(self) {
  const id = await self.create({ module: import.meta.url, name: "thrower" }, null, {
    core: (self.core + 1) % 2,
  });
  try {
    await self.join(id);
    return "no error";
  } catch (e) {
    return { caught: e.code, message: e.message };
  }
}

export async function sleeper(self, ms) {
  const t = Date.now();
  await self.sleep(ms);
  return { slept: Date.now() - t };
}

/** Increments a shared counter under the async mutex path (a cooperative scheduler must not block). */
export async function mutexAdder(self, { memory, n }) {
  const mem = SabMemory.open(memory);
  const m = new Mutex(mem, 0);
  for (let i = 0; i < n; i++) {
    await m.lockAsync();
    mem.setInt32(64, mem.getInt32(64) + 1);
    m.unlock();
    if (i % 64 === 0) await self.yield();
  }
  return 0;
}
