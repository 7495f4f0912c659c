/**
 * A machine described by a few numbers (packages, cores, caches, interconnect links, a round-trip
 * model) and the facts it stands for. The paper's four board files are generated from such specs
 * (`pnpm --filter @shoal/skb make-boards`), and so are the synthetic boards of the benchmark.
 */
import { SkbError } from "../errors.js";
import { type Fact, fact } from "../facts/render.js";

/** A cache level of a board: which cores share one instance of it. */
export interface CacheSpec {
  readonly level: number;
  readonly type: "data" | "instruction" | "unified";
  readonly sizeBytes: number;
  /** Cores sharing one instance: 1 = private, N = groups of N consecutive cores of a package. */
  readonly coresPerInstance: number;
}

/** The round-trip model of a board, in nanoseconds, by how two cores relate. */
export interface RttModel {
  /** Two cores sharing a cache (the fastest URPC case). */
  readonly sharedCache: number;
  /** Two cores in one package that share no cache (Intel's two dies of a package). */
  readonly samePackage: number;
  /** Cores of two packages one interconnect hop apart. */
  readonly remote: number;
  /** Added for each further hop. */
  readonly perHop: number;
}

/** A board. Cores are numbered package-major: core = package * coresPerPackage + index. */
export interface BoardSpec {
  readonly name: string;
  readonly description: string;
  readonly vendor: string;
  readonly model: string;
  readonly mhz: number;
  readonly packages: number;
  readonly coresPerPackage: number;
  /** One NUMA node per package (AMD), or one node for the whole machine (Intel's FSB). */
  readonly numa: "per-package" | "single";
  /** Interconnect links between nodes (packages), each [a, b] with a < b. */
  readonly links: readonly (readonly [number, number])[];
  readonly linkKind: "hypertransport" | "fsb";
  readonly caches: readonly CacheSpec[];
  readonly memoryPerNodeBytes: number;
  readonly rtt: RttModel;
  /** Lines for the generated file's header (the source of the numbers). */
  readonly notes: readonly string[];
}

/** Interconnect hops between every pair of nodes (breadth-first over the links). */
export function hopMatrix(nodes: number, links: readonly (readonly [number, number])[]): number[][] {
  const adjacent: number[][] = Array.from({ length: nodes }, () => []);
  for (const [a, b] of links) {
    if (a < 0 || b < 0 || a >= nodes || b >= nodes || a === b) {
      throw new SkbError(
        "BAD_FACTS",
        `link [${a}, ${b}] does not join two distinct nodes of 0..${nodes - 1}`,
      );
    }
    adjacent[a]?.push(b);
    adjacent[b]?.push(a);
  }
  return Array.from({ length: nodes }, (_, from) => {
    const hops = new Array<number>(nodes).fill(-1);
    hops[from] = 0;
    const queue = [from];
    for (let i = 0; i < queue.length; i++) {
      const n = queue[i] as number;
      for (const m of adjacent[n] ?? []) {
        if (hops[m] === -1) {
          hops[m] = (hops[n] as number) + 1;
          queue.push(m);
        }
      }
    }
    if (hops.includes(-1))
      throw new SkbError("BAD_FACTS", `node ${hops.indexOf(-1)} is not reachable from ${from}`);
    return hops;
  });
}

/** The facts of a board, in the order of its file. */
export function boardFacts(spec: BoardSpec): Fact[] {
  const nodes = spec.numa === "per-package" ? spec.packages : 1;
  const cores = spec.packages * spec.coresPerPackage;
  const nodeOf = (pkg: number) => (spec.numa === "per-package" ? pkg : 0);
  const facts: Fact[] = [fact("board", spec.name, spec.description)];
  for (let p = 0; p < spec.packages; p++) facts.push(fact("cpu_model", p, spec.vendor, spec.model, spec.mhz));
  for (let c = 0; c < cores; c++) {
    facts.push(fact("cpu_thread", c, Math.floor(c / spec.coresPerPackage), c % spec.coresPerPackage, 0));
  }
  for (let c = 0; c < cores; c++)
    facts.push(fact("cpu_node", c, nodeOf(Math.floor(c / spec.coresPerPackage))));
  for (const cache of spec.caches) {
    if (spec.coresPerPackage % cache.coresPerInstance !== 0) {
      throw new SkbError("BAD_FACTS", `${spec.name}: L${cache.level} groups do not divide a package's cores`);
    }
    for (let first = 0; first < cores; first += cache.coresPerInstance) {
      const sharing = Array.from({ length: cache.coresPerInstance }, (_, i) => first + i);
      facts.push(fact("cache", cache.level, cache.type, cache.sizeBytes, sharing));
    }
  }
  const hops = spec.numa === "per-package" ? hopMatrix(nodes, spec.links) : [[0]];
  for (let a = 0; a < nodes; a++) {
    for (let b = 0; b < nodes; b++) facts.push(fact("node_distance", a, b, 10 + 6 * (hops[a]?.[b] ?? 0)));
  }
  for (let n = 0; n < nodes; n++) facts.push(fact("node_memory", n, spec.memoryPerNodeBytes));
  for (let n = 0; n < nodes; n++) {
    facts.push(fact("memory_affinity", n * spec.memoryPerNodeBytes, spec.memoryPerNodeBytes, n));
  }
  for (const [a, b] of spec.links) facts.push(fact("interconnect_link", a, b, spec.linkKind));
  for (let a = 0; a < nodes; a++) {
    for (let b = 0; b < nodes; b++) facts.push(fact("node_hops", a, b, hops[a]?.[b] ?? 0));
  }
  for (let c = 0; c < cores; c++) facts.push(fact("core", c, c));
  facts.push(fact("rtt_model", "shared_cache", spec.rtt.sharedCache));
  facts.push(fact("rtt_model", "same_package", spec.rtt.samePackage));
  facts.push(fact("rtt_model", "remote", spec.rtt.remote));
  facts.push(fact("rtt_model", "per_hop", spec.rtt.perHop));
  return facts;
}
