/**
 * Typed wrappers of prolog/memory.pl, prolog/placement.pl and prolog/transport.pl.
 */
import type { SkbEngine } from "../engine/engine.js";
import { formatTerm, type Term } from "../engine/terms.js";
import { SkbError } from "../errors.js";
import { asAtom, asCompound, asInt, asList, asNumber, checkCore, isCompoundTerm } from "./shape.js";

/** The NUMA nodes with memory, nearest to `core` first. */
export function nodesByDistance(engine: SkbEngine, core: number): number[] {
  checkCore(core);
  const a = engine.once("nodes_by_distance(C, Ns)", { inputs: { C: core } });
  if (!a) throw new SkbError("BAD_ARGUMENT", `no core ${core} in the SKB's facts`);
  return asList(a.Ns, "nodes_by_distance/2").map((n) => asInt(n, "nodes_by_distance/2"));
}

/** The node to allocate memory from for `core` (with at least `bytes` if given); undefined if none. */
export function nearestMemoryNode(engine: SkbEngine, core: number, bytes?: number): number | undefined {
  checkCore(core);
  if (bytes !== undefined && (!Number.isSafeInteger(bytes) || bytes < 0)) {
    throw new SkbError("BAD_ARGUMENT", `bytes must be a non-negative integer, got ${bytes}`);
  }
  const a =
    bytes === undefined
      ? engine.once("nearest_memory_node(C, N)", { inputs: { C: core } })
      : engine.once("nearest_memory_node(C, B, N)", { inputs: { C: core, B: bytes } });
  return a === undefined ? undefined : asInt(a.N, "nearest_memory_node");
}

/** A placement policy: see prolog/placement.pl. */
export type PlacementPolicy = "compact" | "spread" | "cache";

/** Where each domain goes. */
export interface Placement {
  readonly domain: string;
  readonly core: number;
}

/** Places `domains` (names) on cores by `policy`; more domains than cores wrap around. */
export function placeDomains(
  engine: SkbEngine,
  policy: PlacementPolicy,
  domains: readonly string[],
): Placement[] {
  if (!["compact", "spread", "cache"].includes(policy)) {
    throw new SkbError("BAD_ARGUMENT", `policy must be compact, spread or cache, got ${String(policy)}`);
  }
  if (domains.length === 0) return [];
  const a = engine.once("place_domains(P, Ds, Pl)", { inputs: { P: policy, Ds: [...domains] } });
  if (!a) throw new SkbError("BAD_ANSWER", "place_domains/3 found no placement (are there cores?)");
  return asList(a.Pl, "place_domains/3").map((e) => {
    const p = asCompound(e, "-", 2, "place_domains/3");
    return { domain: asAtom(p.args[0], "place_domains/3"), core: asInt(p.args[1], "place_domains/3") };
  });
}

/** How two cores relate (prolog/topology.pl relation/3). */
export type CoreRelation =
  | { readonly kind: "same_core" }
  | { readonly kind: "smt_sibling" }
  | { readonly kind: "same_thread" }
  | { readonly kind: "shared_cache"; readonly level: number }
  | { readonly kind: "same_package" }
  | { readonly kind: "remote"; readonly hops: number };

/** The transport for a channel between two cores, and why. */
export interface TransportChoice {
  readonly transport: "lrpc" | "urpc";
  readonly relation: CoreRelation;
  /** The round trip the SKB expects (measured if known, else modelled), in ns. */
  readonly rttNs: number;
  /** One sentence for people. */
  readonly explanation: string;
}

function toRelation(t: Term | undefined): CoreRelation {
  if (t === "same_core" || t === "smt_sibling" || t === "same_thread" || t === "same_package")
    return { kind: t };
  if (isCompoundTerm(t) && t.functor === "shared_cache")
    return { kind: "shared_cache", level: asInt(t.args[0], "relation") };
  if (isCompoundTerm(t) && t.functor === "remote")
    return { kind: "remote", hops: asInt(t.args[0], "relation") };
  throw new SkbError(
    "BAD_ANSWER",
    `transport/4: unknown relation ${t === undefined ? "none" : formatTerm(t)}`,
  );
}

function remoteWhy(hops: number): string {
  // Packages behind one memory bus (Intel's FSB) are on one node: zero hops apart.
  if (hops <= 0) return "the cores are in different packages on one memory node";
  return `the cores are ${hops} interconnect hop${hops === 1 ? "" : "s"} apart`;
}

function explain(transport: string, r: CoreRelation, rtt: number): string {
  const why: Record<CoreRelation["kind"], string> = {
    same_core: "both ends are on one core, so the CPU driver hands messages over directly",
    smt_sibling: "the cores are hardware threads of one physical core",
    same_thread: "the two shoal cores are likely on one host thread",
    shared_cache: `the cores share an L${r.kind === "shared_cache" ? r.level : 0} cache`,
    same_package: "the cores are in one package but share no cache",
    remote: remoteWhy(r.kind === "remote" ? r.hops : 0),
  };
  const via = transport === "lrpc" ? "LRPC" : "URPC (a shared-memory ring)";
  return `${via}: ${why[r.kind]}; expected round trip ${rtt} ns`;
}

/** The transport for a channel between cores `a` and `b`: lrpc on one core, else urpc. */
export function selectTransport(engine: SkbEngine, a: number, b: number): TransportChoice {
  checkCore(a, "a");
  checkCore(b, "b");
  const r = engine.once("transport(A, B, T, W)", { inputs: { A: a, B: b } });
  if (!r) throw new SkbError("BAD_ARGUMENT", `cores ${a} and ${b} are not both in the SKB's facts`);
  const transport = asAtom(r.T, "transport/4");
  if (transport !== "lrpc" && transport !== "urpc")
    throw new SkbError("BAD_ANSWER", `transport/4: ${transport}`);
  const because = asCompound(r.W, "because", 2, "transport/4");
  const relation = toRelation(because.args[0]);
  const rttNs = asNumber(because.args[1], "transport/4");
  return { transport, relation, rttNs, explanation: explain(transport, relation, rttNs) };
}
