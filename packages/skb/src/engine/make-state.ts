/**
 * Making the saved state (engine/state.ts): a plain engine loads the runtime and the programs exactly
 * as a plain start does, then `qsave_program` writes the state into emscripten's file system, from
 * where it is read back. Run at build time by `scripts/make-state.mjs`; tests make one in a temporary
 * directory. Autoloading is resolved when saving (qsave's default), so the state needs none of the
 * library files the bundle without data lacks.
 */
import { createRequire } from "node:module";
import { SkbError } from "../errors.js";
import { BOOTSTRAP_GOAL } from "./bootstrap.js";
import { programSources } from "./state.js";

/**
 * Libraries loaded into the state beside what the programs use, so that queries typed by people can
 * use them (the bundle without data has no library files to autoload from).
 */
export const STATE_LIBRARIES = [
  "lists",
  "apply",
  "aggregate",
  "pairs",
  "assoc",
  "ordsets",
  "ugraphs",
  "option",
  "error",
  "strings",
  "yall",
  "solution_sequences",
  "rbtrees",
  "nb_set",
  "occurs",
  "terms",
  "random",
  "dicts",
  "dcg/basics",
  "sort",
  "gensym",
  "readutil",
  "tables",
  "heaps",
  "listing",
  "prolog_stack",
];

interface FullModule {
  readonly prolog: {
    query(goal: string, input?: Record<string, string | number>): { once(): Record<string, unknown> };
  };
  readonly FS: { readFile(path: string): Uint8Array };
}

/** A saved state of the runtime and programs, and the hash of the sources it was made from. */
export async function makeSavedState(): Promise<{ readonly image: Uint8Array; readonly hash: string }> {
  const require = createRequire(import.meta.url);
  const factory = require("swipl-wasm") as (o: object) => Promise<FullModule>;
  const output: string[] = [];
  const m = await factory({
    arguments: ["-q"],
    print: (t: string) => output.push(t),
    printErr: (t: string) => output.push(t),
  });
  const src = programSources();
  const check = (what: string, r: Record<string, unknown>) => {
    if (r.error === true || r.success === false)
      throw new SkbError("ENGINE", `make state: ${what} failed: ${String(r.message ?? output.join("\n"))}`);
  };
  check("the runtime", m.prolog.query(BOOTSTRAP_GOAL, { T: src.runtime }).once());
  for (const p of src.programs) {
    const r = m.prolog.query("skb_runtime:skb_load(F, T, 30, J)", { F: p.path, T: p.text }).once();
    check(p.name, r);
    if (!String(r.J).startsWith("loaded([])"))
      throw new SkbError("ENGINE", `make state: ${p.name} has diagnostics: ${String(r.J).slice(0, 400)}`);
  }
  check(
    "the libraries",
    m.prolog.query(`forall(member(L, [${STATE_LIBRARIES.join(", ")}]), use_module(library(L), []))`).once(),
  );
  check("qsave_program", m.prolog.query("qsave_program('/skb.pvm', [])").once());
  return { image: m.FS.readFile("/skb.pvm"), hash: src.hash };
}
