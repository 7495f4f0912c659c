/**
 * The SKB's trees behind the RouteSource seam. When the machine boots with the SKB and the boot
 * passes no trees, core 0's monitor asks the service once for every root's trees (skb/all-routes.ts)
 * and the machine hands the answer to every monitor in two steps: `install` everywhere (each monitor
 * can then forward rounds over the SKB's trees), then `use` everywhere (new rounds start over them).
 * A round names its trees in the core-set key of sd_down/sd_up ("skb:0,1,3" against "0,1,3"), so a
 * round begun over the defaults before the switch finishes over the defaults at every core.
 */
import { type ProtocolName, RouteTable, type RouteTree, starTree } from "@shoal/agreement";
import type { AllRoutes } from "../skb/all-routes.js";
import { SkbRoutesError } from "../skb/errors.js";
import { type RouteSource, treeSource } from "./routes.js";

/** The key tag of rounds over the SKB's trees. */
export const SKB_ROUTES_TAG = "skb";

/**
 * The route source of `protocol` over the SKB's answer: its multicast or NUMA-aware trees, or stars
 * for broadcast and unicast. BAD_ANSWER when a tree misses or repeats a core.
 */
export function skbRouteSource(protocol: ProtocolName, all: AllRoutes): RouteSource {
  const cores = Array.from({ length: all.cores }, (_, i) => i);
  const trees: readonly RouteTree[] =
    protocol === "multicast"
      ? all.multicast
      : protocol === "numa_multicast"
        ? all.numa_multicast
        : cores.map((root) => starTree(root, cores));
  if (trees.length !== all.cores)
    throw new SkbRoutesError("BAD_ANSWER", `the SKB gave ${trees.length} trees for ${all.cores} cores`);
  try {
    trees.forEach((t, i) => {
      if (t.core !== i) throw new Error(`tree ${i} is rooted at core ${t.core}`);
    });
    // Every tree must reach every core exactly once.
    new RouteTable(protocol, cores, new Map(trees.map((t, i) => [i, t])));
  } catch (e) {
    throw new SkbRoutesError("BAD_ANSWER", `the SKB's ${protocol} trees: ${(e as Error).message}`);
  }
  return treeSource(protocol, "skb", trees);
}
