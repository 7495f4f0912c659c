/**
 * Mutations of real interface files for the property tests: token deletions, duplications, swaps,
 * insertions of stray characters, and truncation. Shared by `robustness.test.ts` and the long fuzz run.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { check, type Diagnostic, formatDiagnostic } from "../src/index.js";
import { corpusDir } from "./corpus-dir.js";

/** Every corpus file (interfaces and includes) as text. */
export function corpusTexts(): { file: string; text: string }[] {
  const dir = corpusDir();
  const files = [
    ...readdirSync(dir).filter((f) => f.endsWith(".if")),
    ...["arch", "platform"].flatMap((d) => readdirSync(join(dir, d)).map((f) => `${d}/${f}`)),
  ].sort();
  return files.map((file) => ({ file, text: readFileSync(join(dir, file), "utf8") }));
}

/** Splits text into tokens that join back to it (whitespace and comments are tokens too). */
export function roughTokens(text: string): string[] {
  return text.match(/\s+|\/\*[\s\S]*?\*\/|\/\/[^\n]*|[A-Za-z0-9_']+|"[^"\n]*"|[\s\S]/g) ?? [];
}

const STRAY = [
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ";",
  ",",
  "=",
  "@",
  "-",
  "/*",
  "*/",
  "//",
  '"',
  "\u0000",
  "é",
  "\r",
  "0x",
  "String",
  "rpc",
  "in",
  "typedef",
  "struct",
  "enum",
  "call",
  "99999999999999999999",
];

type Mutation =
  | { kind: "delete"; at: number }
  | { kind: "duplicate"; at: number }
  | { kind: "swap"; at: number; with: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "truncate"; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), with: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...STRAY), fc.string({ maxLength: 4 })),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
);

function apply(tokens: string[], m: Mutation): string[] {
  if (tokens.length === 0) return m.kind === "insert" ? [m.text] : tokens;
  const t = [...tokens];
  const i = m.at % t.length;
  switch (m.kind) {
    case "delete":
      t.splice(i, 1);
      return t;
    case "duplicate":
      t.splice(i, 0, t[i] ?? "");
      return t;
    case "swap": {
      const j = m.with % t.length;
      const a = t[i] ?? "";
      t[i] = t[j] ?? "";
      t[j] = a;
      return t;
    }
    case "insert":
      t.splice(i, 0, m.text);
      return t;
    case "truncate": {
      // Cut inside a token too, so that half a comment or half a name ends the file.
      const cut = t.slice(0, i);
      const last = t[i] ?? "";
      cut.push(last.slice(0, m.at % (last.length + 1)));
      return cut;
    }
  }
}

/** A corpus file with one to five mutations applied. */
export function mutatedCorpusFile(): fc.Arbitrary<{ file: string; text: string }> {
  const texts = corpusTexts();
  return fc
    .record({
      index: fc.nat({ max: texts.length - 1 }),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 5 }),
    })
    .map(({ index, mutations }) => {
      const src = texts[index] ?? { file: "empty.if", text: "" };
      let tokens = roughTokens(src.text);
      for (const m of mutations) tokens = apply(tokens, m);
      return { file: src.file, text: tokens.join("") };
    });
}

/** Line and column of `offset`, counted independently of the library's line table. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, col: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** An interface that uses no type, to check a mutated file as its include. */
const INCLUDER = "interface includer { message m(uint8 x); };";

/**
 * The property: checking never throws, and every diagnostic of the file is positioned inside it with
 * a line and column that agree with its offset. With `asInclude`, the text is checked as an include
 * file of a small interface. Returns a description of the first violation.
 */
export function violation(file: string, text: string, asInclude = false): string | undefined {
  let diagnostics: Diagnostic[];
  try {
    diagnostics = asInclude
      ? check(INCLUDER, "includer.if", { includes: [{ file, text }] }).diagnostics
      : check(text, file).diagnostics;
  } catch (e) {
    return `check threw: ${e instanceof Error ? e.stack : String(e)}`;
  }
  for (const d of diagnostics) {
    if (asInclude && d.span.file === "includer.if") continue;
    if (d.span.file !== file) return `diagnostic in another file: ${JSON.stringify(d)}`;
    const { offset, length } = d.span;
    if (
      !(
        Number.isInteger(offset) &&
        Number.isInteger(length) &&
        offset >= 0 &&
        length >= 0 &&
        offset + length <= text.length
      )
    ) {
      return `span outside the file (${text.length} chars): ${JSON.stringify(d)}`;
    }
    const at = lineCol(text, offset);
    if (at.line !== d.span.line || at.col !== d.span.col) {
      return `line/col ${d.span.line}:${d.span.col} disagree with offset ${offset} (${at.line}:${at.col})`;
    }
    if (typeof d.message !== "string" || d.message.length === 0) return `empty message: ${JSON.stringify(d)}`;
    try {
      formatDiagnostic(d, text);
    } catch (e) {
      return `formatDiagnostic threw: ${String(e)}`;
    }
  }
  return undefined;
}
