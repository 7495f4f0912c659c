/**
 * The SKB's Prolog engine: one swipl-wasm instance behind a synchronous, typed API. Every query and
 * every load is one call into the engine that catches all Prolog errors there (so swipl never prints
 * them) and returns one JSON text; errors come back as SkbErrors and the engine stays usable.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type SkbDiagnostic, SkbError } from "../errors.js";
import { packageRoot } from "../package-root.js";
import { BOOTSTRAP_GOAL } from "./bootstrap.js";
import { readCanonical } from "./canonical.js";
import { loadError, queryError, type RawDiagnostic, toDiagnostic } from "./classify.js";
import { readState, swiplWasmPath } from "./state.js";
import { preloadedSwiplModule, type SwiplInstance, startSwipl, type WasmModuleLike } from "./swipl.js";
import { type Bindings, formatAtom, formatTerm, type PlCompound, type Term } from "./terms.js";

/** Options of {@link SkbEngine.start}. */
export interface EngineOptions {
  /** Default time limit of a query or load, in milliseconds (default 5000). */
  readonly timeLimitMs?: number;
  /** Default cap on the answers one query collects (default 10000). */
  readonly maxAnswers?: number;
  /**
   * Restore the package's saved state (runtime and programs preloaded, engine/state.ts) when it
   * matches the sources (default true); false starts the plain way and consults them; an image
   * (from `makeSavedState`) restores that one.
   */
  readonly savedState?: boolean | Uint8Array;
  /**
   * swipl-wasm's WebAssembly.Module, compiled elsewhere (default: one a host preloaded for this
   * thread, else compiled here). Used only with the saved state.
   */
  readonly wasmModule?: WasmModuleLike;
}

/** What an engine start spent its time on, ms. */
export interface StartProfile {
  /** How it started: restoring the saved state, or the plain way (bundle, then consulting). */
  readonly mode: "saved-state" | "plain";
  /** Reading and checking the saved state. */
  readonly stateMs: number;
  /** Compiling the WebAssembly module here (0 when one was handed over or the plain way inlines it). */
  readonly compileMs: number;
  /** swipl-wasm: loading its JavaScript, instantiating, initialising the Prolog system. */
  readonly swiplMs: number;
  /** Loading the SKB runtime (plain way only; in the state otherwise). */
  readonly runtimeMs: number;
  /** Whether the WebAssembly module was handed over (by a host or the options). */
  readonly preloadedModule: boolean;
}

/** Options of one query. */
export interface QueryOptions {
  /** Values for variables of the query, by name; they are bound before it runs and not reported. */
  readonly inputs?: Readonly<Record<string, Term>>;
  readonly timeLimitMs?: number;
  readonly maxAnswers?: number;
}

/** What a query returned. */
export interface QueryResult {
  /** One entry per answer, in the engine's order (empty when the query failed). */
  readonly answers: readonly Bindings[];
  /** The reported variables, in the order they appear in the query. */
  readonly variables: readonly string[];
  /** True when the query had more answers than `maxAnswers`. */
  readonly truncated: boolean;
  /** What the query printed to standard output or error. */
  readonly output: string;
  /** Logical inferences the query used. */
  readonly inferences: number;
}

/** What loading a program returned (errors throw instead). */
export interface LoadResult {
  readonly file: string;
  readonly warnings: readonly SkbDiagnostic[];
}

/** Engine memory figures, for leak checks. */
export interface EngineStats {
  /** Size of the WebAssembly linear memory in bytes (it only grows), when it could be observed. */
  readonly wasmBytes: number | undefined;
  /** Atoms in the engine's atom table. */
  readonly atoms: number;
  /** Bytes of the global stack in use. */
  readonly globalUsed: number;
  /** Clauses in the database. */
  readonly clauses: number;
}

// The heartbeat clock check does not reach deterministic recursion (measured: `l :- l.` never beats),
// so an inference budget bounds it too, sized from a nominal rate above the ~12 M inferences/s this
// engine reaches warm on these machines: such a loop stops within about twice its limit.
const NOMINAL_INFERENCES_PER_S = 20e6;
const MIN_INFERENCE_BUDGET = 1e6;
const MAX_INFERENCE_BUDGET = 2 ** 31 - 1;
const MAX_OUTPUT_CHARS = 1 << 20;

/** A started SWI-Prolog engine with the SKB's runtime loaded. Start one and reuse it. */
export class SkbEngine {
  readonly #swipl: SwiplInstance;
  readonly #timeLimitMs: number;
  readonly #maxAnswers: number;
  #output: string[] = [];
  #outputChars = 0;
  /** Milliseconds the start took. */
  readonly startMs: number;
  /** Where the start's time went. */
  readonly startProfile: StartProfile;
  /** True when the runtime and programs came with the saved state (nothing to consult). */
  readonly programsPreloaded: boolean;

  private constructor(swipl: SwiplInstance, output: string[], options: EngineOptions, startMs: number) {
    this.#swipl = swipl;
    this.#output = output;
    this.#timeLimitMs = positive(options.timeLimitMs ?? 5000, "timeLimitMs");
    this.#maxAnswers = positive(options.maxAnswers ?? 10000, "maxAnswers");
    this.startMs = startMs;
    this.startProfile = {
      mode: "plain",
      stateMs: 0,
      compileMs: 0,
      swiplMs: 0,
      runtimeMs: 0,
      preloadedModule: false,
    };
    this.programsPreloaded = false;
  }

  /** Starts an engine and loads the SKB runtime (100-190 ms on an idle machine). */
  static async start(options: EngineOptions = {}): Promise<SkbEngine> {
    const t0 = performance.now();
    const early: string[] = [];
    let engine: SkbEngine | undefined;
    const sink = (text: string) => {
      if (engine) engine.#capture(text);
      else early.push(text);
    };
    const saved = options.savedState ?? true;
    const image = saved === false ? undefined : saved === true ? readState() : saved;
    const t1 = performance.now();
    let module = image === undefined ? undefined : (options.wasmModule ?? preloadedSwiplModule());
    const preloadedModule = module !== undefined;
    let swipl: SwiplInstance;
    let compileMs = 0;
    try {
      if (image !== undefined && module === undefined) {
        const wasm = (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<object> } })
          .WebAssembly;
        module = await wasm.compile(readFileSync(swiplWasmPath()));
        compileMs = performance.now() - t1;
      }
      swipl = await startSwipl(sink, sink, {
        ...(image === undefined ? {} : { image }),
        ...(module === undefined ? {} : { module }),
      });
    } catch (e) {
      throw new SkbError("ENGINE", `cannot start swipl-wasm: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
    const t2 = performance.now();
    engine = new SkbEngine(swipl, early, options, 0);
    if (image === undefined) {
      const runtime = join(packageRoot(), "prolog", "runtime.pl");
      engine.#bootstrap(readFileSync(runtime, "utf8"));
    } else {
      // Prolog flags and wrappers come back with the state; re-installing them is cheap and sure.
      engine.#call("skb_runtime:skb_restored(J)", {});
    }
    const t3 = performance.now();
    engine.#output = [];
    engine.#outputChars = 0;
    const profile: StartProfile = {
      mode: image === undefined ? "plain" : "saved-state",
      stateMs: t1 - t0,
      compileMs,
      swiplMs: t2 - t1 - compileMs,
      runtimeMs: t3 - t2,
      preloadedModule,
    };
    Object.defineProperty(engine, "startMs", { value: t3 - t0 });
    Object.defineProperty(engine, "startProfile", { value: profile });
    Object.defineProperty(engine, "programsPreloaded", { value: image !== undefined });
    return engine;
  }

  #capture(text: string): void {
    if (this.#outputChars >= MAX_OUTPUT_CHARS) return;
    this.#output.push(text);
    this.#outputChars += text.length + 1;
  }

  #takeOutput(): string {
    const text = this.#output.length === 0 ? "" : `${this.#output.join("\n")}\n`;
    this.#output = [];
    this.#outputChars = 0;
    return text;
  }

  #bootstrap(text: string): void {
    // The runtime is loaded with swipl-wasm's own query path, once; from then on everything goes
    // through skb_run/skb_load, which catch errors inside Prolog.
    const r = this.#swipl.prolog.query(BOOTSTRAP_GOAL, { T: text }).once();
    if (r.error === true || r.success === false) {
      throw new SkbError("ENGINE", `cannot load the SKB runtime: ${String(r.message ?? this.#takeOutput())}`);
    }
  }

  #call(goal: string, input: Record<string, string | number>): PlCompound {
    let r: Record<string, unknown>;
    try {
      r = this.#swipl.prolog.query(goal, input).once();
    } catch (e) {
      throw new SkbError("ENGINE", `the engine failed: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
    const text = r.J;
    if (text === undefined || text === null) {
      throw new SkbError("ENGINE", `the engine gave no reply: ${String(r.message ?? "")}`);
    }
    const reply = readCanonical(String(text));
    if (typeof reply !== "object" || Array.isArray(reply) || (reply as PlCompound).kind !== "compound") {
      throw new SkbError("BAD_ANSWER", `unexpected reply from the engine: ${String(text).slice(0, 80)}`);
    }
    const c = reply as PlCompound;
    if (c.functor === "internal") {
      throw new SkbError("ENGINE", `the engine could not write a reply: ${textOf(c.args[0])}`);
    }
    return c;
  }

  /** Runs `goal` (Prolog text, no final full stop needed) and collects its answers. */
  query(goal: string, options: QueryOptions = {}): QueryResult {
    const limitMs = positive(options.timeLimitMs ?? this.#timeLimitMs, "timeLimitMs");
    const max = positive(options.maxAnswers ?? this.#maxAnswers, "maxAnswers");
    const inputs = Object.entries(options.inputs ?? {})
      .map(([name, value]) => `${formatAtom(name)}=${formatTerm(value)}`)
      .join(",");
    // swipl-wasm passes a JavaScript number into a query as a 32-bit integer: a budget above 2^31 - 1
    // (a limit over ~107 s) would wrap negative and fail as a domain error.
    const budget = Math.min(
      MAX_INFERENCE_BUDGET,
      Math.max(MIN_INFERENCE_BUDGET, Math.ceil((limitMs / 1000) * NOMINAL_INFERENCES_PER_S)),
    );
    this.#takeOutput();
    const reply = this.#call("skb_runtime:skb_run(Q, I, L, opts(M, B), J)", {
      Q: goal,
      I: `[${inputs}]`,
      L: limitMs / 1000,
      M: max,
      B: budget,
    });
    const output = this.#takeOutput();
    if (reply.functor === "error") {
      throw queryError(goal, reply.args[0] ?? "unknown", textOf(reply.args[1]), limitMs);
    }
    const [names, rows, more, inferences] = reply.args as [string[], Term[][], string, number];
    const answers = rows.map((row) => {
      const b: Record<string, Term> = {};
      names.forEach((name, i) => {
        b[name] = row[i] as Term;
      });
      return b;
    });
    return { answers, variables: names, truncated: more === "true", output, inferences: Number(inferences) };
  }

  /** The answers of `goal` (see {@link query}). */
  answers(goal: string, options: QueryOptions = {}): readonly Bindings[] {
    return this.query(goal, options).answers;
  }

  /** The first answer of `goal`, or undefined when it fails. */
  once(goal: string, options: QueryOptions = {}): Bindings | undefined {
    return this.query(goal, { ...options, maxAnswers: 1 }).answers[0];
  }

  /** True when `goal` has at least one answer. */
  succeeds(goal: string, options: QueryOptions = {}): boolean {
    return this.once(goal, options) !== undefined;
  }

  /**
   * Loads Prolog source text as the file `file` into module `user` (loading the same name again
   * replaces its clauses). Throws SYNTAX or LOAD with every diagnostic; clauses before an error stay.
   */
  consult(file: string, text: string, options: { readonly timeLimitMs?: number } = {}): LoadResult {
    const limitMs = positive(options.timeLimitMs ?? this.#timeLimitMs, "timeLimitMs");
    this.#takeOutput();
    const reply = this.#call("skb_runtime:skb_load(F, T, L, J)", { F: file, T: text, L: limitMs / 1000 });
    this.#takeOutput();
    const raw = ((reply.args[0] ?? []) as PlCompound[]).map(
      (d): RawDiagnostic => ({
        kind: String(d.args[0]),
        line: Number(d.args[1]),
        message: textOf(d.args[2]),
        term: d.args[3] ?? "unknown",
      }),
    );
    const diagnostics = raw.map((d) => toDiagnostic(file, d));
    if (diagnostics.some((d) => d.severity === "error")) throw loadError(file, diagnostics, raw);
    return { file, warnings: diagnostics };
  }

  /** Reads and loads a Prolog file from disk (see {@link consult}). */
  consultFile(path: string, options: { readonly timeLimitMs?: number } = {}): LoadResult {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new SkbError("ENGINE", `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, {
        file: path,
        cause: e,
      });
    }
    return this.consult(path, text, options);
  }

  /** Adds a clause at the end of its predicate (a fact as a term, or a clause as Prolog text). */
  assertz(clause: Term): void {
    this.query("assertz(C)", { inputs: { C: clause } });
  }

  /** Adds a clause at the start of its predicate. */
  asserta(clause: Term): void {
    this.query("asserta(C)", { inputs: { C: clause } });
  }

  /** Adds many facts in one call into the engine; returns how many. */
  assertFacts(facts: readonly Term[]): number {
    if (facts.length === 0) return 0;
    this.query("forall(member(F, Fs), assertz(F))", { inputs: { Fs: facts } });
    return facts.length;
  }

  /** Removes the first clause that unifies with `clause` (Prolog text or a term); false if none. */
  retract(clause: Term): boolean {
    return this.succeeds(typeof clause === "string" ? `retract((${clause}))` : "retract(C)", {
      ...(typeof clause === "string" ? {} : { inputs: { C: clause } }),
    });
  }

  /** Removes every clause whose head unifies with `head` (Prolog text); returns how many. */
  retractAll(head: string): number {
    const r = this.once(`aggregate_all(count, retract((${head} :- _)), N)`);
    return typeof r?.N === "number" ? r.N : 0;
  }

  /** Memory figures (WebAssembly memory, atoms, stacks, clauses). */
  stats(): EngineStats {
    const r = this.once("statistics(atoms, A), statistics(globalused, G), statistics(clauses, C)");
    return {
      wasmBytes: this.#swipl.memory?.buffer.byteLength,
      atoms: Number(r?.A ?? 0),
      globalUsed: Number(r?.G ?? 0),
      clauses: Number(r?.C ?? 0),
    };
  }
}

function textOf(t: Term | undefined): string {
  if (typeof t === "string") return t;
  if (typeof t === "object" && t !== null && !Array.isArray(t) && (t as { kind: string }).kind === "string") {
    return (t as { text: string }).text;
  }
  return t === undefined ? "" : formatTerm(t);
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new SkbError("BAD_ARGUMENT", `${name} must be a positive number, got ${value}`);
  }
  return value;
}
