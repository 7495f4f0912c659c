/**
 * Routes from the system knowledge base, computed once for every source core of a set of cores.
 * Broadcast and unicast are stars in core order; plain multicast goes through the lowest-numbered
 * core of each package, packages in numeric order, buffers in the sender's memory (the paper's first
 * multicast); NUMA-aware multicast is the SKB's `numa_multicast_tree/2` (farthest node first, each
 * channel's buffer on its receiver's node), pruned to the cores asked for.
 *
 * The SKB's query wrappers (`src/queries/multicast.ts`) are not exported by @shoal/skb yet, so this
 * asks the engine the Prolog query itself through the public `SkbEngine.once`.
 */

import { type ProtocolName, RouteTable, type RouteTree, starTree } from "@shoal/agreement";
import type { SkbEngine, Term } from "@shoal/skb";
import { ShootdownError } from "../errors.js";

/** Which package and NUMA node each core is on. */
export interface Topology {
  /** Every core, ascending. */
  readonly cores: readonly number[];
  readonly packageOf: ReadonlyMap<number, number>;
  readonly nodeOf: ReadonlyMap<number, number>;
}

function int(t: Term | undefined, what: string): number {
  if (typeof t === "number" && Number.isSafeInteger(t)) return t;
  throw new ShootdownError("BAD_ROUTES", `${what}: the SKB answered ${JSON.stringify(t)}, not an integer`);
}

/** The machine's cores, packages and nodes as the SKB's facts say (`cpu_thread/4`, `cpu_node/2`). */
export function topologyFromSkb(engine: SkbEngine): Topology {
  const packageOf = new Map<number, number>();
  const nodeOf = new Map<number, number>();
  for (const a of engine.answers("cpu_thread(C, P, _, _)"))
    packageOf.set(int(a.C, "cpu_thread"), int(a.P, "cpu_thread"));
  for (const a of engine.answers("cpu_node(C, N)")) nodeOf.set(int(a.C, "cpu_node"), int(a.N, "cpu_node"));
  const cores = [...packageOf.keys()].sort((a, b) => a - b);
  if (cores.length === 0)
    throw new ShootdownError("BAD_ROUTES", "the SKB knows no cores (load a board first)");
  for (const c of cores) if (!nodeOf.has(c)) nodeOf.set(c, 0);
  return { cores, packageOf, nodeOf };
}

function decodeNumaTree(t: Term | undefined): RouteTree {
  if (typeof t !== "object" || t === null || Array.isArray(t) || !("kind" in t) || t.kind !== "compound") {
    throw new ShootdownError("BAD_ROUTES", `numa_multicast_tree/2: expected mcn/3, got ${JSON.stringify(t)}`);
  }
  if (t.functor !== "mcn" || t.args.length !== 3 || !Array.isArray(t.args[2])) {
    throw new ShootdownError(
      "BAD_ROUTES",
      `numa_multicast_tree/2: expected mcn/3, got ${t.functor}/${t.args.length}`,
    );
  }
  const kids = t.args[2] as readonly Term[];
  return {
    core: int(t.args[0], "numa_multicast_tree/2"),
    bufferNode: int(t.args[1], "numa_multicast_tree/2"),
    children: kids.map(decodeNumaTree),
  };
}

/** The SKB's NUMA-aware multicast tree for `root` over the whole machine. */
export function numaTreeFromSkb(engine: SkbEngine, root: number): RouteTree {
  const a = engine.once("numa_multicast_tree(Root, T)", { inputs: { Root: root } });
  if (a === undefined)
    throw new ShootdownError("BAD_ROUTES", `the SKB has no tree for core ${root}`, { core: root });
  return decodeNumaTree(a.T);
}

/** The plain multicast tree: one aggregation core per package (its lowest core), packages in order. */
export function packageTree(topo: Topology, root: number, cores: readonly number[]): RouteTree {
  const byPackage = new Map<number, number[]>();
  for (const c of [...cores].sort((a, b) => a - b)) {
    const p = topo.packageOf.get(c);
    if (p === undefined)
      throw new ShootdownError("BAD_ROUTES", `core ${c} is not in the SKB's facts`, { core: c });
    const list = byPackage.get(p) ?? [];
    list.push(c);
    byPackage.set(p, list);
  }
  const home = topo.packageOf.get(root);
  const children: RouteTree[] = [];
  for (const p of [...byPackage.keys()].sort((a, b) => a - b)) {
    if (p === home) continue;
    const [agg, ...rest] = byPackage.get(p) ?? [];
    if (agg === undefined) continue;
    children.push({ core: agg, children: rest.map((core) => ({ core, children: [] })) });
  }
  for (const c of byPackage.get(home ?? -1) ?? []) if (c !== root) children.push({ core: c, children: [] });
  return { core: root, children };
}

/**
 * The route table of `protocol` for `cores` (default: every core the SKB knows), a tree for every
 * source core, from the SKB's facts and queries.
 */
export function routesFromSkb(
  engine: SkbEngine,
  protocol: ProtocolName,
  cores?: readonly number[],
): RouteTable {
  const topo = topologyFromSkb(engine);
  const set = cores ?? topo.cores;
  for (const c of set) {
    if (!topo.packageOf.has(c))
      throw new ShootdownError("BAD_ARGUMENT", `core ${c} is not in the SKB's facts`, { core: c });
  }
  const trees = new Map<number, RouteTree>();
  for (const root of set) {
    const sorted = [...set].sort((a, b) => a - b);
    switch (protocol) {
      case "broadcast":
      case "unicast":
        trees.set(root, starTree(root, sorted));
        break;
      case "multicast":
        trees.set(root, packageTree(topo, root, set));
        break;
      case "numa_multicast":
        trees.set(root, numaTreeFromSkb(engine, root));
        break;
    }
  }
  return new RouteTable(protocol, set, trees);
}

/** The route tables of every protocol for `cores`. */
export function allRoutesFromSkb(
  engine: SkbEngine,
  cores?: readonly number[],
): Record<ProtocolName, RouteTable> {
  return {
    broadcast: routesFromSkb(engine, "broadcast", cores),
    unicast: routesFromSkb(engine, "unicast", cores),
    multicast: routesFromSkb(engine, "multicast", cores),
    numa_multicast: routesFromSkb(engine, "numa_multicast", cores),
  };
}
