/**
 * The SKB's Prolog programs (prolog/*.pl): the fact vocabulary and the queries. Loaded once per
 * engine, before any facts.
 */
import { join } from "node:path";
import type { SkbEngine } from "./engine/engine.js";
import { packageRoot } from "./package-root.js";

/** The program files, in load order. */
export const SKB_PROGRAMS = [
  "vocabulary",
  "topology",
  "multicast",
  "memory",
  "placement",
  "transport",
] as const;

const loaded = new WeakSet<SkbEngine>();

/** Loads the SKB's programs into `engine` unless they are loaded already. */
export function ensureSkbPrograms(engine: SkbEngine): void {
  if (loaded.has(engine)) return;
  for (const name of SKB_PROGRAMS) engine.consultFile(join(packageRoot(), "prolog", `${name}.pl`));
  loaded.add(engine);
}
