/**
 * Route trees: for one source core, who sends the request to whom and in which order, and where
 * each channel's buffer lives. Broadcast and unicast are stars (the root talks to every target);
 * the multicasts are two-level trees through one aggregation core per package or NUMA node.
 * A {@link RouteTable} holds one tree per source for a set of cores (a domain's cores), checked once
 * when it is built so that forwarding never meets a malformed tree.
 */
import { ShootdownError } from "../errors.js";

/** The four protocols of the paper's §5.1. */
export type ProtocolName = "broadcast" | "unicast" | "multicast" | "numa_multicast";

/** Every protocol, in the paper's order. */
export const PROTOCOLS: readonly ProtocolName[] = ["broadcast", "unicast", "multicast", "numa_multicast"];

/** A tree rooted at a core: the children in send order. */
export interface RouteTree {
  readonly core: number;
  /** The NUMA node whose memory holds the buffer of the channel from the parent (absent: the sender's). */
  readonly bufferNode?: number;
  readonly children: readonly RouteTree[];
}

/** A star from `root` to `targets` in the given order (broadcast and unicast). */
export function starTree(root: number, targets: readonly number[]): RouteTree {
  return { core: root, children: targets.filter((c) => c !== root).map((core) => ({ core, children: [] })) };
}

/**
 * The tree restricted to `keep`: a core not kept is replaced, in place, by its kept descendants, so the
 * send order among the others is unchanged. The root must be kept.
 */
export function pruneTree(tree: RouteTree, keep: ReadonlySet<number>): RouteTree {
  if (!keep.has(tree.core)) {
    throw new ShootdownError("BAD_ROUTES", `the tree's root ${tree.core} is not one of the cores`, {
      core: tree.core,
    });
  }
  const kids = (t: RouteTree): RouteTree[] =>
    t.children.flatMap((k) => (keep.has(k.core) ? [{ ...k, children: kids(k) }] : kids(k)));
  return { ...tree, children: kids(tree) };
}

/** The cores of a tree, depth first. */
export function treeCores(tree: RouteTree): number[] {
  const out = [tree.core];
  for (const k of tree.children) out.push(...treeCores(k));
  return out;
}

/** The number of levels below the root (0 for a lone root, 1 for a star). */
export function treeDepth(tree: RouteTree): number {
  return tree.children.reduce((d, k) => Math.max(d, 1 + treeDepth(k)), 0);
}

/** One source's tree, flattened for forwarding. */
interface Flat {
  readonly tree: RouteTree;
  readonly children: Map<number, readonly number[]>;
  readonly parent: Map<number, number>;
  readonly bufferNode: Map<number, number>;
}

/** The routes of one protocol for a set of cores: one tree per source. */
export class RouteTable {
  readonly protocol: ProtocolName;
  /** The cores every operation reaches, ascending. */
  readonly cores: readonly number[];
  readonly #flat = new Map<number, Flat>();

  /**
   * Builds the table from a tree per source; each tree is pruned to `cores` and must then reach every
   * one of them exactly once (BAD_ROUTES otherwise).
   */
  constructor(protocol: ProtocolName, cores: readonly number[], trees: ReadonlyMap<number, RouteTree>) {
    this.protocol = protocol;
    this.cores = [...new Set(cores)].sort((a, b) => a - b);
    if (this.cores.length === 0)
      throw new ShootdownError("BAD_ROUTES", "a route table needs at least one core");
    const keep = new Set(this.cores);
    for (const root of this.cores) {
      const full = trees.get(root);
      if (full === undefined)
        throw new ShootdownError("BAD_ROUTES", `no ${protocol} tree for core ${root}`, { core: root });
      const tree = pruneTree(full, keep);
      const seen = treeCores(tree);
      if (seen.length !== keep.size || new Set(seen).size !== seen.length) {
        throw new ShootdownError(
          "BAD_ROUTES",
          `the ${protocol} tree of core ${root} reaches [${seen.join(", ")}], not each of [${this.cores.join(", ")}] once`,
          { core: root },
        );
      }
      const flat: Flat = { tree, children: new Map(), parent: new Map(), bufferNode: new Map() };
      const walk = (t: RouteTree) => {
        flat.children.set(
          t.core,
          t.children.map((k) => k.core),
        );
        for (const k of t.children) {
          flat.parent.set(k.core, t.core);
          if (k.bufferNode !== undefined) flat.bufferNode.set(k.core, k.bufferNode);
          walk(k);
        }
      };
      walk(tree);
      this.#flat.set(root, flat);
    }
  }

  #of(root: number): Flat {
    const f = this.#flat.get(root);
    if (f === undefined)
      throw new ShootdownError("BAD_ROUTES", `core ${root} is not one of this table's cores`, { core: root });
    return f;
  }

  /** True when `core` is one of the table's cores. */
  has(core: number): boolean {
    return this.#flat.has(core);
  }

  /** The (pruned) tree of source `root`. */
  tree(root: number): RouteTree {
    return this.#of(root).tree;
  }

  /** Whom `core` sends to, in order, in an operation started by `root`. */
  children(root: number, core: number): readonly number[] {
    return this.#of(root).children.get(core) ?? [];
  }

  /** Whom `core` answers in an operation started by `root` (undefined for the root itself). */
  parent(root: number, core: number): number | undefined {
    return this.#of(root).parent.get(core);
  }

  /** The node holding the buffer of the channel into `core` in `root`'s tree (undefined: the sender's). */
  bufferNode(root: number, core: number): number | undefined {
    return this.#of(root).bufferNode.get(core);
  }

  /** Every core below `core` in `root`'s tree. */
  subtree(root: number, core: number): number[] {
    const out: number[] = [];
    const f = this.#of(root);
    const walk = (c: number) => {
      for (const k of f.children.get(c) ?? []) {
        out.push(k);
        walk(k);
      }
    };
    walk(core);
    return out;
  }

  /** True when the requests of this protocol go out on one shared line rather than one channel each. */
  get sharedLine(): boolean {
    return this.protocol === "broadcast";
  }
}
