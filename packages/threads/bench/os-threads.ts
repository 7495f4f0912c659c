// A domain the threads bench boots (built to dist/bench/os-threads.js): a ThreadSystem over its own
// dispatchers (one thread scheduler spanned to every core), timing create+join of a thread that does
// nothing on the next core round robin, as the runtime's create+join row does on workers.
import type { Domain } from "@shoal/libshoal";
import { ThreadSystem } from "../src/index.js";
import { spanExecutor } from "../src/os/span-executor.js";

/** The prefix of this domain's console report. */
export const CREATE_JOIN_PREFIX = "THREADS-CREATE-JOIN ";

export default async function main(self: Domain, args: string[]): Promise<number> {
  const k = Number(args[0] ?? 100);
  const entry = { module: new URL("./regions.js", import.meta.url), name: "noop" };
  const sys = await ThreadSystem.start({ cores: self.cores, executor: spanExecutor(self) });
  try {
    for (let i = 0; i < 20; i++) await sys.create(entry, null, { core: i % self.cores }).join();
    const t0 = performance.now();
    for (let i = 0; i < k; i++) await sys.create(entry, null, { core: (i + 1) % self.cores }).join();
    self.log(`${CREATE_JOIN_PREFIX}${JSON.stringify({ us: ((performance.now() - t0) * 1000) / k })}`);
  } catch (e) {
    self.log(`${CREATE_JOIN_PREFIX}${JSON.stringify({ error: String(e) })}`);
  } finally {
    await sys.close();
  }
  return 0;
}
