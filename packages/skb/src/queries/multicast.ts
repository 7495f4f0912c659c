/**
 * Typed wrappers of prolog/multicast.pl: the paper's multicast tree for a source core, its NUMA-aware
 * variant, and the tree as forwarding routes.
 */
import type { SkbEngine } from "../engine/engine.js";
import type { Term } from "../engine/terms.js";
import { SkbError } from "../errors.js";
import { asCompound, asInt, asList, checkCore } from "./shape.js";

/** A multicast tree: a core and the subtrees it sends to, in send order. */
export interface MulticastTree {
  readonly core: number;
  readonly children: readonly MulticastTree[];
}

/** A NUMA-aware multicast tree: each edge's channel buffer lives on `bufferNode`. */
export interface NumaMulticastTree {
  readonly core: number;
  readonly bufferNode: number;
  readonly children: readonly NumaMulticastTree[];
}

function toTree(t: Term, what: string): MulticastTree {
  const c = asCompound(t, "mc", 2, what);
  return { core: asInt(c.args[0], what), children: asList(c.args[1], what).map((k) => toTree(k, what)) };
}

function toNumaTree(t: Term, what: string): NumaMulticastTree {
  const c = asCompound(t, "mcn", 3, what);
  return {
    core: asInt(c.args[0], what),
    bufferNode: asInt(c.args[1], what),
    children: asList(c.args[2], what).map((k) => toNumaTree(k, what)),
  };
}

function noCore(root: number): SkbError {
  return new SkbError("BAD_ARGUMENT", `no core ${root} in the SKB's facts`);
}

/** The multicast tree rooted at `root` (paper §5.1). */
export function multicastTree(engine: SkbEngine, root: number): MulticastTree {
  checkCore(root, "root");
  const a = engine.once("multicast_tree(Root, T)", { inputs: { Root: root } });
  if (!a) throw noCore(root);
  return toTree(a.T as Term, "multicast_tree/2");
}

/** The NUMA-aware multicast tree rooted at `root`. */
export function numaMulticastTree(engine: SkbEngine, root: number): NumaMulticastTree {
  checkCore(root, "root");
  const a = engine.once("numa_multicast_tree(Root, T)", { inputs: { Root: root } });
  if (!a) throw noCore(root);
  return toNumaTree(a.T as Term, "numa_multicast_tree/2");
}

/** Every core's multicast tree, from one query (root -> tree). */
export function multicastAllRoots(engine: SkbEngine): Map<number, MulticastTree> {
  const a = engine.once("multicast_all_roots(Ts)");
  const out = new Map<number, MulticastTree>();
  for (const pair of asList(a?.Ts, "multicast_all_roots/1")) {
    const p = asCompound(pair, "-", 2, "multicast_all_roots/1");
    out.set(asInt(p.args[0], "multicast_all_roots/1"), toTree(p.args[1] as Term, "multicast_all_roots/1"));
  }
  return out;
}

/** The tree rooted at `root` as [from, to] sends, breadth-first in send order. */
export function multicastRoutes(engine: SkbEngine, root: number): [number, number][] {
  checkCore(root, "root");
  const a = engine.once("multicast_routes(Root, R)", { inputs: { Root: root } });
  if (!a) throw noCore(root);
  return asList(a.R, "multicast_routes/2").map((e) => {
    const p = asCompound(e, "-", 2, "multicast_routes/2");
    return [asInt(p.args[0], "multicast_routes/2"), asInt(p.args[1], "multicast_routes/2")];
  });
}

/** The cores of a tree in depth-first order (each exactly once if the tree is well formed). */
export function treeCores(t: MulticastTree | NumaMulticastTree): number[] {
  const out = [t.core];
  for (const k of t.children) out.push(...treeCores(k));
  return out;
}
