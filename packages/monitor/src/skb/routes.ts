/**
 * The monitor's multicast routes, from the SKB (issue 14, item 6): once the skb service is up, a
 * monitor binds it over skb.if like any client and asks for the paper's §5.1 multicast tree and the
 * NUMA-aware tree with its own core as the source, over the booted cores. `Monitor.routes()` is the
 * seam: whoever forwards along a tree (monitor-hosted TLB shootdown) asks it and gets plain trees.
 *
 * The shape is the one of @shoal/shootdown's RouteTree (a core and its children in send order, and
 * for the NUMA tree the node holding each edge's channel buffer), declared here because
 * @shoal/shootdown depends on this package. Broadcast and unicast are stars, made here.
 */
import type { Skb } from "@shoal/libshoal/interfaces/skb";
import { clientEndpoint, fingerprintLow } from "../bind/exports.js";
import type { Monitor } from "../core/monitor.js";
import { SkbRoutesError } from "./errors.js";

/** A tree rooted at a core: the children in send order (structurally @shoal/shootdown's RouteTree). */
export interface RouteTree {
  readonly core: number;
  /** The NUMA node whose memory holds the channel from the parent (NUMA tree only). */
  readonly bufferNode?: number;
  readonly children: readonly RouteTree[];
}

/** The protocols of the paper's §5.1 (as @shoal/shootdown names them). */
export type RouteProtocol = "broadcast" | "unicast" | "multicast" | "numa_multicast";

/** One monitor's routes: per protocol, the tree rooted at its core over the booted cores. */
export interface Routes {
  /** The core these trees start from (the asking monitor's). */
  readonly source: number;
  /** The cores the trees reach, ascending. */
  readonly cores: readonly number[];
  readonly trees: Readonly<Record<RouteProtocol, RouteTree>>;
  /** Milliseconds from the request to the answer (lookup, bind, query). */
  readonly ms: number;
}

/** How long a monitor waits for the skb service to be registered. */
export const SKB_WAIT_MS = 120_000;

/** The query a monitor asks (its own core as the source). */
export function routesQuery(core: number): string {
  return `multicast_tree(${core}, T), numa_multicast_tree(${core}, N)`;
}

/** Asks the skb service for `monitor`'s routes (binds it for the one query, then closes). */
export async function fetchRoutes(monitor: Monitor, waitMs = SKB_WAIT_MS): Promise<Routes> {
  const t0 = performance.now();
  const iref = await monitor.lookup("skb", waitMs);
  if (typeof iref === "string") throw new SkbRoutesError("NO_SKB", `no skb service: ${iref}`);
  const skb = await bindSkb(monitor, iref);
  try {
    const r = await skb.rpc.run(routesQuery(monitor.core), { timeoutMs: waitMs });
    if (r.int_error === 1)
      throw new SkbRoutesError("NO_ROUTES", `the SKB knows no core ${monitor.core} (its facts lack it)`);
    if (r.int_error !== 0) throw new SkbRoutesError("SKB_FAILED", r.str_error);
    const { multicast, numa } = parseRoutesAnswer(r.output);
    const cores = treeCores(multicast).sort((a, b) => a - b);
    const star = (order: readonly number[]): RouteTree => ({
      core: monitor.core,
      children: order.filter((c) => c !== monitor.core).map((core) => ({ core, children: [] })),
    });
    return {
      source: monitor.core,
      cores,
      trees: { broadcast: star(cores), unicast: star(cores), multicast, numa_multicast: numa },
      ms: performance.now() - t0,
    };
  } finally {
    await skb.close().catch(() => undefined);
  }
}

/** A binding to the skb export `iref`, made as a domain's bind is (same core: lrpc; else intermon). */
export async function bindSkb(monitor: Monitor, iref: number): Promise<Skb> {
  // Loaded on first use: the stubs are ~95 KB of JavaScript that every core would otherwise parse at
  // boot, though only monitors that ask the SKB need them (a 64-core boot is CPU-bound on module loads).
  const { Skb } = await import("@shoal/libshoal/interfaces/skb");
  const core = Math.floor(iref / 0x10000);
  if (core === monitor.core) return Skb.bind(monitor.exports.local(iref, Skb), {});
  const r = await monitor.peer(core).rpc.bind(iref, monitor.core, fingerprintLow(Skb.fingerprint));
  if (r.err !== "") throw new SkbRoutesError("SKB_FAILED", `cannot bind the skb service: ${r.err}`);
  const offset = Number(r.offset);
  monitor.track({ offset, peerCore: core, peerSide: 0 });
  return Skb.bind(clientEndpoint(monitor.boot.memory, offset, r.lines), {});
}

/** The cores of a tree, depth first. */
export function treeCores(t: RouteTree): number[] {
  return [t.core, ...t.children.flatMap(treeCores)];
}

/** The tree as parent -> children lists (send order), for forwarding. */
export function childrenOf(t: RouteTree, out = new Map<number, number[]>()): Map<number, number[]> {
  out.set(
    t.core,
    t.children.map((k) => k.core),
  );
  for (const k of t.children) childrenOf(k, out);
  return out;
}

/**
 * Reads run()'s answer line `T = mc(0,[mc(4,[]),...]), N = mcn(0,0,[...])` (canonical Prolog, as
 * the skb domain prints it). Anything else is BAD_ANSWER: the monitor trusts no peer's text.
 */
export function parseRoutesAnswer(text: string): { multicast: RouteTree; numa: RouteTree } {
  const m = /^T = (.*), N = (mcn\(.*)$/.exec(text.trim());
  if (m === null) throw new SkbRoutesError("BAD_ANSWER", `unexpected routes answer: ${text.slice(0, 120)}`);
  return { multicast: parseTree(m[1] as string, "mc"), numa: parseTree(m[2] as string, "mcn") };
}

/** Reads one canonical `mc(...)` or `mcn(...)` tree (BAD_ANSWER when it is anything else). */
export function parseTree(text: string, functor: "mc" | "mcn"): RouteTree {
  const tokens = text.match(/[a-z]+|\d+|[()[\],]/g) ?? [];
  if (tokens.join("") !== text.replace(/\s+/g, ""))
    throw new SkbRoutesError("BAD_ANSWER", `unexpected characters in a tree: ${text.slice(0, 120)}`);
  let i = 0;
  const bad = (): never => {
    throw new SkbRoutesError("BAD_ANSWER", `malformed ${functor} tree at token ${i}: ${text.slice(0, 120)}`);
  };
  const eat = (t: string): void => {
    if (tokens[i++] !== t) bad();
  };
  const int = (): number => {
    const t = tokens[i++];
    if (t === undefined || !/^\d+$/.test(t)) return bad();
    return Number(t);
  };
  const tree = (depth: number): RouteTree => {
    if (depth > 64) bad();
    eat(functor);
    eat("(");
    const core = int();
    let bufferNode: number | undefined;
    if (functor === "mcn") {
      eat(",");
      bufferNode = int();
    }
    eat(",");
    eat("[");
    const children: RouteTree[] = [];
    while (tokens[i] !== "]") {
      if (children.length > 0) eat(",");
      children.push(tree(depth + 1));
    }
    eat("]");
    eat(")");
    return bufferNode === undefined ? { core, children } : { core, bufferNode, children };
  };
  const t = tree(0);
  if (i !== tokens.length) bad();
  return t;
}
