// A domain that runs a ThreadSystem over its own dispatchers: one thread scheduler spanned to every
// core (spanExecutor), threads created and joined across them; reports on the console.
import { ThreadSystem } from "../../dist/src/index.js";
import { spanExecutor } from "../../dist/src/os/span-executor.js";

const module = new URL("./thread-entries.mjs", import.meta.url);
const entry = (name) => ({ module, name });

export default async function main(self) {
  const sys = await ThreadSystem.start({ cores: self.cores, executor: spanExecutor(self) });
  const out = {};
  try {
    out.exit = await sys.create(entry("exitCode"), 3, { core: 1 }).join();
    out.exitEarly = (await sys.create(entry("exitEarly"), null, { core: 1 }).join()).code;
    out.spawner = (await sys.create(entry("spawner"), self.cores, { core: self.cores - 1 }).join()).value;
    const tls = [1, 2, 3].map(() => sys.create(entry("tls"), 50, { core: 1 }));
    out.tls = (await Promise.all(tls.map((h) => h.join()))).map((r) => r.value);
    out.thrower = await sys
      .create(entry("thrower"), null, { core: 1 })
      .join()
      .then(
        () => "no error",
        (e) => `${e.code} ${e.message}`,
      );
    out.joinsAThrower = (await sys.create(entry("joinsAThrower"), null, { core: 0 }).join()).value;
    const k = 50;
    const t0 = performance.now();
    for (let i = 0; i < k; i++) await sys.create(entry("exitCode"), 0, { core: 1 }).join();
    out.createJoinUs = ((performance.now() - t0) * 1000) / k;
    out.live = sys.live();
  } catch (e) {
    out.error = String(e);
  } finally {
    await sys.close();
  }
  self.log(`THREADS-APP ${JSON.stringify(out)}`);
  return 0;
}
