/**
 * Text to typed syntax tree: lexing, parsing with recovery (the parser's actions build the tree), and
 * the diagnostics of those stages. Never throws on any input.
 *
 * @packageDocumentation
 */
import type { IToken } from "chevrotain";
import type { FileAst } from "./ast.js";
import { AstBuilder } from "./ast-builder.js";
import { chevrotain } from "./chevrotain.js";
import { countDiagnostics, diagnostic, error } from "./diagnostics.js";
import type { Diagnostic } from "./model.js";
import { flounderParser, keywordHint, MAX_PARSE_ERRORS } from "./parser.js";
import { LineTable } from "./positions.js";
import {
  Alias,
  flounderLexer,
  Identifier,
  Interface,
  Name,
  Semi,
  scanBlockComment,
  Typedef,
} from "./tokens.js";

const MISSING_SEMI = `expected ${Semi.LABEL} `;

/** What {@link parse} returns: a tree (possibly with holes) and the lexical and syntax diagnostics. */
export interface ParseResult {
  readonly ast: FileAst;
  readonly diagnostics: Diagnostic[];
  /** The line table of the text, reused by the checker. */
  readonly lines: LineTable;
}

/**
 * Most syntax errors reported per file. Past this, recovery is guessing and the rest is noise (and a
 * file of random bytes would otherwise print a diagnostic per byte).
 */
export const MAX_SYNTAX_DIAGNOSTICS = 100;

/**
 * Parses an interface file (`interface NAME { ... };`). Never throws: malformed input yields
 * diagnostics and a tree of what could be recovered.
 */
export function parse(text: string, fileName: string): ParseResult {
  return parseAs("interface", text, fileName);
}

/** Parses an include file (type declarations only, no `interface` wrapper). Never throws. */
export function parseInclude(text: string, fileName: string): ParseResult {
  return parseAs("include", text, fileName);
}

function parseAs(kind: "interface" | "include", text: string, fileName: string): ParseResult {
  const source = typeof text === "string" ? text : "";
  const lines = new LineTable(fileName, source);
  const diagnostics: Diagnostic[] = [];
  try {
    const lexed = flounderLexer.tokenize(source);
    for (const e of lexed.errors) {
      const ch = source.slice(e.offset, e.offset + Math.min(e.length, 1));
      const what =
        e.length > 1
          ? `unexpected characters starting with ${quoteChar(ch)}`
          : `unexpected character ${quoteChar(ch)}`;
      diagnostics.push(error("unexpected-character", what, lines.span(e.offset, e.length)));
    }
    for (const t of lexed.groups.badStrings ?? []) {
      diagnostics.push(
        error(
          "unterminated-string",
          "string is not closed: a '\"' is missing before the end of the line",
          lines.span(t.startOffset, 1),
        ),
      );
    }
    for (const c of lexed.groups.comments ?? []) {
      if (!scanBlockComment(source, c.startOffset).terminated) {
        diagnostics.push(
          error(
            "unterminated-comment",
            "comment is not closed: '/*' needs a matching '*/' (comments nest)",
            lines.span(c.startOffset, 2),
          ),
        );
      }
    }
    // A file that starts with a type declaration is an include file given as an interface: one
    // clear error, then its declarations parse as an include's (no cascade from a missing header).
    const first = lexed.tokens[0]?.tokenType;
    const looksLikeInclude = kind === "interface" && (first === Alias || first === Typedef);
    if (looksLikeInclude) {
      const t = lexed.tokens[0];
      diagnostics.push(
        error(
          "syntax-error",
          `expected 'interface' but found '${t?.image}': a file of type declarations only is an include file; pass it with -i`,
          lines.span(t?.startOffset ?? 0, t?.image.length ?? 0),
        ),
      );
    }
    // `interfce foo {`: a misspelt first word followed by a name is taken as `interface` (after one
    // error), so that the rest parses normally instead of as a guess at where the header ended.
    const second = lexed.tokens[1];
    const head = lexed.tokens[0];
    if (
      kind === "interface" &&
      head?.tokenType === Identifier &&
      second !== undefined &&
      chevrotain.tokenMatcher(second, Name)
    ) {
      diagnostics.push(
        error(
          "syntax-error",
          `expected 'interface' but found '${head.image}'${keywordHint(head)}`,
          lines.span(head.startOffset, head.image.length),
        ),
      );
      lexed.tokens[0] = { ...head, tokenType: Interface, tokenTypeIdx: Interface.tokenTypeIdx ?? 0 };
    }
    const collected = flounderParser.parseTokens(
      lexed.tokens,
      looksLikeInclude ? "include" : kind,
      new AstBuilder(lines),
    );
    for (const e of flounderParser.errors) {
      const t = e.token;
      let at = Number.isFinite(t.startOffset) ? t.startOffset : source.length;
      let len = Number.isFinite(t.startOffset) ? t.image.length : 0;
      // A missing ';' is best shown right after what it should follow (rustc does the same), not at
      // the next line's first token.
      const prev = (e as { previousToken?: IToken }).previousToken;
      if (e.message.startsWith(MISSING_SEMI) && prev && Number.isFinite(prev.startOffset)) {
        at = prev.startOffset + prev.image.length;
        len = at < source.length ? 1 : 0;
      }
      diagnostics.push(error("syntax-error", e.message, lines.span(at, len)));
    }
    if (flounderParser.errors.length >= MAX_PARSE_ERRORS) {
      const last = diagnostics[diagnostics.length - 1];
      diagnostics.push(
        error(
          "too-many-diagnostics",
          "too many syntax errors; the rest of the file was not parsed",
          last?.span ?? lines.span(0, 0),
        ),
      );
    }
    flounderParser.input = [];
    const whole = lines.span(0, source.length);
    const ast: FileAst = {
      file: fileName,
      ...(collected.header ? { header: collected.header } : {}),
      items: collected.items,
      span: whole,
    };
    return { ast, diagnostics: capDiagnostics(diagnostics, lines), lines };
  } catch (e) {
    // Defence in depth: nothing above should throw, but if it does the caller still gets data.
    flounderParser.input = [];
    diagnostics.push(
      error(
        "internal-error",
        `internal parser failure: ${e instanceof Error ? e.message : String(e)}`,
        lines.span(0, 0),
      ),
    );
    return { ast: { file: fileName, items: [], span: lines.span(0, source.length) }, diagnostics, lines };
  }
}

/**
 * Keeps the first `max` diagnostics (by position) and says how many were dropped. The summary carries
 * the dropped errors and warnings in `hidden` (a summary dropped by a second cap passes its own on), so
 * {@link countDiagnostics} stays exact whatever was cut.
 */
export function capDiagnostics(
  diagnostics: Diagnostic[],
  lines: LineTable,
  max = MAX_SYNTAX_DIAGNOSTICS,
): Diagnostic[] {
  if (diagnostics.length <= max) return diagnostics;
  const sorted = [...diagnostics].sort((a, b) => a.span.offset - b.span.offset);
  const kept = sorted.slice(0, max);
  const last = kept[kept.length - 1];
  const hidden = countDiagnostics(sorted.slice(max));
  // Dropping diagnostics must not change the outcome: the summary is an error if an error was dropped.
  const severity = hidden.errors > 0 ? "error" : "warning";
  kept.push({
    ...diagnostic(
      "too-many-diagnostics",
      severity,
      `${hidden.errors + hidden.warnings} more diagnostics not shown (${plural(hidden.errors, "error")}, ${plural(hidden.warnings, "warning")})`,
      last ? last.span : lines.span(0, 0),
    ),
    hidden,
  });
  return kept;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function quoteChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff) || code > 0x7e) {
    return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return `'${ch}'`;
}
