import { RawTeam } from "../baseline/raw-team.js";
import { builtModule } from "../built.js";
import { SabMemory } from "../memory/sab-memory.js";
import { Team } from "../team/team.js";

/** Which runtime runs a workload: shoal's parallel-for runtime, or the plain worker_threads baseline. */
export type RuntimeKind = "shoal" | "baseline";

/**
 * Runs the region `name` of this package's built module `module` (e.g. "nas/cg.js") on `threads`
 * members of the chosen runtime, with a fresh zeroed shared memory of `bytes` given as `arg.memory`;
 * returns member 0's value. The team is started before and closed after (not timed by the regions).
 */
export async function runWorkload<R>(
  runtime: RuntimeKind,
  threads: number,
  module: string,
  name: string,
  bytes: number,
  arg: Record<string, unknown>,
): Promise<R> {
  const memory = SabMemory.allocate(bytes).share();
  const url = builtModule(module);
  const team = runtime === "shoal" ? await Team.start({ threads }) : await RawTeam.start(threads);
  try {
    const values = await team.run<R>(url, name, { ...arg, memory });
    return values[0] as R;
  } finally {
    await team.close();
  }
}
