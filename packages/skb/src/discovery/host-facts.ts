/**
 * Discovered topology as SKB facts, in Barrelfish's vocabulary plus shoal's core/2.
 */
import { SkbError } from "../errors.js";
import { type Fact, fact } from "../facts/render.js";
import type { HostTopology } from "./discover.js";

/** Options of {@link hostFacts}. */
export interface HostFactsOptions {
  /** How many shoal cores to describe (default: one per online CPU). */
  readonly cores?: number;
  /**
   * Where shoal's cores run. shoal does not pin its worker threads, so the host CPU of a core is a
   * guess: "round-robin" (default) says core k is likely on the k-th online CPU (mod their count);
   * "unknown" says nothing.
   */
  readonly hostCpus?: "round-robin" | "unknown";
}

/** The facts for a discovered topology. */
export function hostFacts(topo: HostTopology, options: HostFactsOptions = {}): Fact[] {
  // A machine where nothing was discovered still runs shoal on one core.
  const cores = options.cores ?? Math.max(1, topo.threads.length);
  if (!Number.isInteger(cores) || cores < 1 || cores > 4096) {
    throw new SkbError("BAD_ARGUMENT", `cores must be an integer in 1..4096, got ${cores}`);
  }
  const apicOf = new Map(topo.threads.map((t) => [t.cpu, t.apic]));
  const facts: Fact[] = [
    fact(
      "board",
      "host",
      `this machine (${topo.threads.length} CPU${topo.threads.length === 1 ? "" : "s"}, discovered under ${topo.root})`,
    ),
  ];
  for (const m of topo.models) facts.push(fact("cpu_model", m.package, m.vendor, m.model, m.mhz));
  for (const t of topo.threads) facts.push(fact("cpu_thread", t.apic, t.package, t.core, t.thread));
  for (const t of topo.threads) facts.push(fact("cpu_node", t.apic, t.node));
  for (const c of topo.caches) {
    const apics = c.cpus.map((cpu) => apicOf.get(cpu)).filter((a): a is number => a !== undefined);
    facts.push(
      fact(
        "cache",
        c.level,
        c.type,
        c.sizeBytes,
        [...apics].sort((a, b) => a - b),
      ),
    );
  }
  const nodes =
    topo.nodes.length > 0 ? topo.nodes : [{ id: 0, distances: [10], memoryBytes: undefined, ranges: [] }];
  for (const n of nodes) {
    n.distances.forEach((d, to) => {
      facts.push(fact("node_distance", n.id, nodes[to]?.id ?? to, d));
    });
  }
  for (const n of nodes)
    if (n.memoryBytes !== undefined) facts.push(fact("node_memory", n.id, n.memoryBytes));
  for (const n of nodes)
    for (const r of n.ranges) facts.push(fact("memory_affinity", r.base, r.length, n.id));
  for (let k = 0; k < cores; k++) {
    const t = topo.threads.length > 0 ? topo.threads[k % topo.threads.length] : undefined;
    facts.push(fact("core", k, options.hostCpus === "unknown" || t === undefined ? "unknown" : t.apic));
  }
  return facts;
}
