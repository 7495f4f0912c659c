import { type CheckOptions, check } from "../src/index.js";
import { corpusDir } from "./corpus-dir.js";

/** The Barrelfish corpus in the repository (corpus/barrelfish/if). */
export const CORPUS_DIR = corpusDir();

/** `interface t { <body> };` with the body starting on line 2. */
export function iface(body: string, name = "t"): string {
  return `interface ${name} {\n${body}\n};\n`;
}

/** Diagnostics of `text` (checked as `t.if`) as `line:col severity code: message` strings. */
export function diags(text: string, options?: CheckOptions, file = "t.if"): string[] {
  return check(text, file, options).diagnostics.map(
    (d) => `${d.span.line}:${d.span.col} ${d.severity} ${d.code}: ${d.message}`,
  );
}
