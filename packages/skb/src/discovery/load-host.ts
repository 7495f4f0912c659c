/**
 * Loading this machine's facts into an engine: discovery, then the facts, then the derived tables and
 * the modelled round trips (which a measurement replaces later).
 */

import { DERIVE_LIMIT_MS } from "../boards/boards.js";
import type { SkbEngine } from "../engine/engine.js";
import { ensureSkbPrograms } from "../programs.js";
import { discoverHost, type HostTopology } from "./discover.js";
import { type HostFactsOptions, hostFacts } from "./host-facts.js";

/** Options of {@link loadHost}. */
export interface LoadHostOptions extends HostFactsOptions {
  /** The directory holding `sys/` and `proc/` (default `/`; a recorded tree in tests). */
  readonly root?: string;
}

/**
 * Clears the engine's facts and asserts those discovered under `options.root`; returns what
 * discovery found (its `problems` say what was missing and assumed).
 */
export function loadHost(engine: SkbEngine, options: LoadHostOptions = {}): HostTopology {
  const topo = discoverHost(options.root ?? "/");
  const facts = hostFacts(topo, options);
  ensureSkbPrograms(engine);
  engine.query("skb_clear_facts");
  engine.assertFacts(facts);
  // The grouping tables of topology.pl are derived from core/2 and cpu_thread/4: rebuild them.
  engine.query("skb_assert_modelled_rtts, skb_prepare", { timeLimitMs: DERIVE_LIMIT_MS });
  return topo;
}
