/**
 * Where a monitor's shootdown routes come from: the seam. A {@link RouteSource} answers the route
 * table of the boot's protocol for a set of cores (a spanning domain's), one tree per source core,
 * pruned to the set by `RouteTable`. Today the trees come with the boot (`BootOptions.shootdown`:
 * computed by the booting program from the SKB, as `routesFromSkb` of @shoal/shootdown does), or,
 * without them, from a default layout of 4-core packages. When the machine boots with the SKB and the
 * boot passes no trees, the SKB's trees for every root replace the defaults once they arrive
 * (vspace/skb-routes.ts).
 */
import { PROTOCOLS, type ProtocolName, RouteTable, type RouteTree, starTree } from "@shoal/agreement";

/** The shootdown part of a boot. */
export interface ShootdownBoot {
  /** The protocol of every shootdown (default {@link DEFAULT_SHOOTDOWN_PROTOCOL}). */
  readonly protocol?: ProtocolName;
  /** The tree of every source core over the whole machine, by source (index i: core i's tree). */
  readonly trees?: readonly RouteTree[];
}

/** The protocol when the boot names none (the one Barrelfish uses). */
export const DEFAULT_SHOOTDOWN_PROTOCOL: ProtocolName = "numa_multicast";
/** Cores per package of the default trees (the 8x4 AMD board's). */
export const DEFAULT_PACKAGE_CORES = 4;

/** The seam: the route table of one protocol for any set of cores. */
export interface RouteSource {
  readonly protocol: ProtocolName;
  /** Where the trees came from: the boot's, the default layout's, or the SKB service's. */
  readonly origin: "boot" | "default" | "skb";
  /** The tree of every source core over the whole machine (index i: core i's). */
  readonly trees: readonly RouteTree[];
  /** The routes over `cores` (ascending, distinct), every tree pruned to them. */
  routes(cores: readonly number[]): RouteTable;
}

/** Checks a boot's shootdown options for a machine of `cores` cores (throws on bad ones). */
export function checkShootdownBoot(b: ShootdownBoot, cores: number): ShootdownBoot {
  const protocol = b.protocol ?? DEFAULT_SHOOTDOWN_PROTOCOL;
  if (!PROTOCOLS.includes(protocol))
    throw new Error(`shootdown protocol must be one of ${PROTOCOLS.join(", ")}, got ${String(protocol)}`);
  if (b.trees !== undefined) {
    if (b.trees.length !== cores)
      throw new Error(`shootdown routes need a tree for each of the ${cores} cores, got ${b.trees.length}`);
    b.trees.forEach((t, i) => {
      if (t.core !== i) throw new Error(`shootdown tree ${i} is rooted at core ${t.core}`);
    });
    // Every tree must reach every core exactly once (BAD_ROUTES otherwise).
    fullTable(protocol, cores, b.trees);
  }
  return { protocol, ...(b.trees === undefined ? {} : { trees: b.trees }) };
}

function fullTable(protocol: ProtocolName, cores: number, trees: readonly RouteTree[]): RouteTable {
  const all = Array.from({ length: cores }, (_, i) => i);
  return new RouteTable(protocol, all, new Map(trees.map((t, i) => [i, t])));
}

/**
 * The default trees without an SKB: stars for broadcast and unicast; for the multicasts, one
 * aggregation core (the lowest) per package of {@link DEFAULT_PACKAGE_CORES} cores, the root's own
 * package-mates last. NUMA-aware multicast sends to the farthest packages (by number) first, the
 * only distance known without the SKB's facts.
 */
export function defaultTrees(protocol: ProtocolName, cores: number): RouteTree[] {
  const all = Array.from({ length: cores }, (_, i) => i);
  return all.map((root) => {
    if (protocol === "broadcast" || protocol === "unicast") return starTree(root, all);
    const pkg = (c: number) => Math.floor(c / DEFAULT_PACKAGE_CORES);
    const home = pkg(root);
    const packages = [...new Set(all.map(pkg))].filter((p) => p !== home);
    if (protocol === "numa_multicast")
      packages.sort((a, b) => Math.abs(b - home) - Math.abs(a - home) || a - b);
    const children: RouteTree[] = packages.map((p) => {
      const members = all.filter((c) => pkg(c) === p);
      const [agg, ...rest] = members as [number, ...number[]];
      return { core: agg, children: rest.map((core) => ({ core, children: [] })) };
    });
    for (const c of all) if (pkg(c) === home && c !== root) children.push({ core: c, children: [] });
    return { core: root, children };
  });
}

/** The route source of a booted core: the boot's trees (or the defaults), pruned per core set. */
export function bootRoutes(boot: ShootdownBoot | undefined, cores: number): RouteSource {
  const protocol = boot?.protocol ?? DEFAULT_SHOOTDOWN_PROTOCOL;
  const trees = boot?.trees ?? defaultTrees(protocol, cores);
  return treeSource(protocol, boot?.trees === undefined ? "default" : "boot", trees);
}

/** A route source over `trees` (one per source core, index i: core i's), tables cached per core set. */
export function treeSource(
  protocol: ProtocolName,
  origin: RouteSource["origin"],
  trees: readonly RouteTree[],
): RouteSource {
  const byRoot = new Map(trees.map((t, i) => [i, t]));
  const cache = new Map<string, RouteTable>();
  return {
    protocol,
    origin,
    trees,
    routes(set) {
      const key = set.join(",");
      let t = cache.get(key);
      if (t === undefined) {
        t = new RouteTable(protocol, set, byRoot);
        cache.set(key, t);
      }
      return t;
    },
  };
}
