/**
 * The SKB's Prolog programs (prolog/*.pl): the fact vocabulary and the queries. Loaded once per
 * engine, before any facts.
 */
import type { SkbEngine } from "./engine/engine.js";
import { programSources } from "./engine/state.js";

export { SKB_PROGRAMS } from "./engine/state.js";

const loaded = new WeakSet<SkbEngine>();

/** Loads the SKB's programs into `engine` unless they are loaded already. */
export function ensureSkbPrograms(engine: SkbEngine): void {
  if (loaded.has(engine) || engine.programsPreloaded) return;
  for (const p of programSources().programs) engine.consult(p.path, p.text);
  loaded.add(engine);
}
