/**
 * Every root's trees from the SKB, for the shootdown (issue 16 joined to issue 14). A forwarding
 * monitor finds its children in the initiator's tree, so every monitor needs the tree of every root,
 * not only its own (`fetchRoutes`). One monitor (core 0's, at boot) asks the service for all roots in
 * as few queries as fit skb.if's strings (`findall` over the roots, one answer each), and the machine
 * hands the same answer to every monitor (vspace/skb-routes.ts installs it behind the RouteSource seam).
 */
import type { Monitor } from "../core/monitor.js";
import { SkbRoutesError } from "./errors.js";
import { bindSkb, parseTree, type RouteTree, SKB_WAIT_MS } from "./routes.js";

/** The SKB's trees for every root, by root (index i: core i's tree), over cores 0..n-1. */
export interface AllRoutes {
  readonly cores: number;
  readonly multicast: readonly RouteTree[];
  readonly numa_multicast: readonly RouteTree[];
  /** Queries asked and milliseconds from the lookup to the last answer. */
  readonly queries: number;
  readonly ms: number;
}

/**
 * Roots per query: skb.if's output string holds 64 KiB; a root's pair of trees over `cores` cores
 * prints as about 24 characters a core (`mcn(12,3,[]),` plus the `mc` twin), kept under half of it.
 */
export function rootsPerQuery(cores: number): number {
  return Math.max(1, Math.floor(32_000 / (24 * Math.max(1, cores))));
}

/** The query for the trees of `roots`: one answer, a list of `r(Root, Multicast, Numa)`. */
export function allRoutesQuery(roots: readonly number[]): string {
  return `findall(r(K, T, N), (member(K, [${roots.join(",")}]), multicast_tree(K, T), numa_multicast_tree(K, N)), L)`;
}

/** Asks the skb service for the trees of every core 0..cores-1 (binds once, closes after). */
export async function fetchAllRoutes(
  monitor: Monitor,
  cores: number,
  waitMs = SKB_WAIT_MS,
): Promise<AllRoutes> {
  const t0 = performance.now();
  const iref = await monitor.lookup("skb", waitMs);
  if (typeof iref === "string") throw new SkbRoutesError("NO_SKB", `no skb service: ${iref}`);
  const skb = await bindSkb(monitor, iref);
  const multicast: RouteTree[] = [];
  const numa: RouteTree[] = [];
  let queries = 0;
  try {
    const chunk = rootsPerQuery(cores);
    for (let first = 0; first < cores; first += chunk) {
      const roots = Array.from({ length: Math.min(chunk, cores - first) }, (_, i) => first + i);
      const r = await skb.rpc.run(allRoutesQuery(roots), { timeoutMs: waitMs });
      queries++;
      if (r.int_error !== 0) throw new SkbRoutesError("SKB_FAILED", r.str_error || r.output);
      const got = parseAllRoutesAnswer(r.output);
      for (const root of roots) {
        const g = got.get(root);
        if (g === undefined)
          throw new SkbRoutesError("NO_ROUTES", `the SKB gave no trees for core ${root} (its facts lack it)`);
        multicast.push(g.multicast);
        numa.push(g.numa);
      }
    }
  } finally {
    await skb.close().catch(() => undefined);
  }
  return { cores, multicast, numa_multicast: numa, queries, ms: performance.now() - t0 };
}

/** Splits `text` at the commas outside any brackets. */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) break;
  }
  if (depth !== 0) throw new SkbRoutesError("BAD_ANSWER", `unbalanced routes answer: ${text.slice(0, 120)}`);
  out.push(text.slice(start));
  return out;
}

/**
 * Reads `K = _, T = _, N = _, L = [r(0,mc(...),mcn(...)),...]` (canonical Prolog, as the skb domain prints it), by root.
 * Anything else is BAD_ANSWER: the monitor trusts no peer's text.
 */
export function parseAllRoutesAnswer(text: string): Map<number, { multicast: RouteTree; numa: RouteTree }> {
  // The service prints every variable of the query: the findall's own come first, unbound.
  const flat = text.replace(/\s+/g, "");
  const m = /^(?:K=_\w*,T=_\w*,N=_\w*,)?L=\[(.*)\]$/.exec(flat);
  if (m === null) throw new SkbRoutesError("BAD_ANSWER", `unexpected routes answer: ${text.slice(0, 120)}`);
  const out = new Map<number, { multicast: RouteTree; numa: RouteTree }>();
  const body = m[1] as string;
  if (body === "") return out;
  for (const item of splitTop(body)) {
    const r = /^r\((.*)\)$/.exec(item);
    if (r === null) throw new SkbRoutesError("BAD_ANSWER", `unexpected routes entry: ${item.slice(0, 120)}`);
    const parts = splitTop(r[1] as string);
    const [root, mc, mcn] = parts;
    if (
      parts.length !== 3 ||
      root === undefined ||
      !/^\d+$/.test(root) ||
      mc === undefined ||
      mcn === undefined
    )
      throw new SkbRoutesError("BAD_ANSWER", `unexpected routes entry: ${item.slice(0, 120)}`);
    const multicast = parseTree(mc, "mc");
    const numa = parseTree(mcn, "mcn");
    const k = Number(root);
    if (multicast.core !== k || numa.core !== k || out.has(k))
      throw new SkbRoutesError("BAD_ANSWER", `routes entry for core ${k} is rooted elsewhere or repeated`);
    out.set(k, { multicast, numa });
  }
  return out;
}
