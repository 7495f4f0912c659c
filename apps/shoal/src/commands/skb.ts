/**
 * `shoal skb [--board NAME] [--cores N] [--json] QUERY | facts | boards`: asks the system knowledge
 * base offline, on this machine's discovered facts or on a board file. Each answer is one line of
 * `Var = value` bindings (`true` for an answer without variables; `false` and exit code 1 when there
 * is none); `--json` prints one JSON object for tools. An SKB error is one line with its code.
 */
import { Machine, measureRtts } from "@shoal/monitor";
import {
  assertMeasuredRtts,
  type Bindings,
  boardNames,
  formatTerm,
  isSkbError,
  loadBoard,
  loadHost,
  SkbEngine,
  type Term,
} from "@shoal/skb";
import { parseCount, UsageError } from "../errors.js";
import type { Io } from "./boot.js";

export const SKB_USAGE =
  "usage: shoal skb [--board NAME | --cores N | --boot N] [--json] QUERY | facts | boards";

/** The parsed arguments of `shoal skb`. */
export interface SkbArgs {
  readonly board: string | undefined;
  readonly cores: number | undefined;
  /** Boot this many cores and measure their round trips first (`--boot N`). */
  readonly boot: number | undefined;
  readonly json: boolean;
  /** A query, or the `facts` / `boards` subcommand. */
  readonly what: { readonly kind: "query"; readonly text: string } | { readonly kind: "facts" | "boards" };
}

/** Parses the arguments after `skb`. */
export function parseSkbArgs(argv: readonly string[]): SkbArgs {
  let board: string | undefined;
  let cores: number | undefined;
  let boot: number | undefined;
  let json = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--board") {
      board = argv[++i];
      if (board === undefined) throw new UsageError(`--board: which board? (${boardNames().join(", ")})`);
    } else if (a === "--cores") cores = parseCount(argv[++i], "--cores", 1);
    else if (a === "--boot") boot = parseCount(argv[++i], "--boot", 1);
    else if (a === "--json") json = true;
    else if (a.startsWith("--")) throw new UsageError(`unknown option '${a}'\n${SKB_USAGE}`);
    else rest.push(a);
  }
  if (rest.length === 0)
    throw new UsageError(`skb: which query? e.g. shoal skb 'multicast_tree(0, T)'\n${SKB_USAGE}`);
  if ([board, cores, boot].filter((x) => x !== undefined).length > 1) {
    throw new UsageError("--board, --cores and --boot each say which cores to describe (give one of them)");
  }
  const text = rest.join(" ").trim();
  const what: SkbArgs["what"] =
    text === "facts" || text === "boards"
      ? { kind: text }
      : { kind: "query", text: text.replace(/\.\s*$/, "") };
  return { board, cores, boot, json, what };
}

/** A term as JSON: atoms and numbers plain, big integers and everything else tagged. */
export function termJson(t: Term): unknown {
  if (typeof t === "string" || typeof t === "number") return Number.isNaN(t) ? { float: "nan" } : t;
  if (typeof t === "bigint") return { integer: t.toString() };
  if (Array.isArray(t)) return t.map(termJson);
  const o = t as Exclude<Term, string | number | bigint | readonly Term[]>;
  switch (o.kind) {
    case "string":
      return { string: o.text };
    case "compound":
      return { functor: o.functor, args: o.args.map(termJson) };
    case "partial_list":
      return { items: o.items.map(termJson), tail: termJson(o.tail) };
    case "var":
      return { var: o.name };
    case "rational":
      return { rational: `${o.numerator}/${o.denominator}` };
  }
}

/** One answer as a line: `A = 1, T = mc(0,[])`, or `true` when it binds nothing. */
export function answerLine(variables: readonly string[], b: Bindings): string {
  if (variables.length === 0) return "true";
  return variables.map((v) => `${v} = ${formatTerm(b[v] as Term)}`).join(", ");
}

/** Starts an engine with the facts asked for; returns it and what discovery could not read. */
async function openEngine(
  args: SkbArgs,
  io: Io,
): Promise<{ engine: SkbEngine; problems: readonly string[] }> {
  const engine = await SkbEngine.start();
  if (args.boot !== undefined) {
    // Boot the cores, measure every pair's round trip, then describe them with the measured facts.
    const machine = await Machine.boot({ cores: args.boot, memoryBytes: 64 * 2 ** 20 });
    try {
      const m = await measureRtts(machine);
      io.err(`skb: measured ${m.rows.length} pairs of ${args.boot} cores in ${m.ms.toFixed(0)} ms`);
      const topo = loadHost(engine, { cores: args.boot });
      assertMeasuredRtts(engine, m.rows);
      return { engine, problems: topo.problems };
    } finally {
      await machine.halt();
    }
  }
  if (args.board !== undefined) {
    loadBoard(engine, args.board);
    return { engine, problems: [] };
  }
  const topo = loadHost(engine, args.cores === undefined ? {} : { cores: args.cores });
  return { engine, problems: topo.problems };
}

/** Runs `shoal skb ...`; resolves with the exit code. */
export async function skb(argv: readonly string[], io: Io): Promise<number> {
  const args = parseSkbArgs(argv);
  if (args.what.kind === "boards") {
    const names = boardNames();
    if (args.json) io.out(JSON.stringify({ boards: names }));
    else for (const n of names) io.out(n);
    return 0;
  }
  try {
    const { engine, problems } = await openEngine(args, io);
    const what = args.what;
    if (what.kind !== "query") {
      const r = engine.query("skb_fact_predicate(N, A), functor(F, N, A), call(F)", {
        maxAnswers: 10_000_000,
      });
      const facts = r.answers.map((b) => b.F as Term);
      if (args.json) io.out(JSON.stringify({ facts: facts.map(termJson), problems }));
      else {
        // What discovery could not read, as comments, so the dump still loads as a fact file.
        for (const p of problems) io.out(`% discovery: ${p}`);
        for (const f of facts) io.out(`${formatTerm(f)}.`);
      }
      return 0;
    }
    const r = engine.query(what.text);
    if (args.json) {
      const answers = r.answers.map((b) =>
        Object.fromEntries(r.variables.map((v) => [v, termJson(b[v] as Term)])),
      );
      io.out(JSON.stringify({ variables: r.variables, answers, truncated: r.truncated }));
    } else {
      for (const line of r.output.split("\n").filter((l) => l !== "")) io.err(line);
      if (r.answers.length === 0) io.out("false");
      for (const b of r.answers) io.out(answerLine(r.variables, b));
      if (r.truncated) io.err(`skb: more than ${r.answers.length} answers; the rest are not shown`);
    }
    return r.answers.length > 0 ? 0 : 1;
  } catch (e) {
    if (isSkbError(e)) {
      const msg = e.message.split("\n")[0] ?? e.code;
      if (args.json) io.out(JSON.stringify({ error: { code: e.code, message: msg, column: e.column } }));
      io.err(`shoal: skb: ${e.code}: ${msg}`);
      return e.code === "NO_SUCH_BOARD" ? 2 : 1;
    }
    throw e;
  }
}
