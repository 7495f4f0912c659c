/**
 * Diagnostic codes, construction, and the two printed forms: rustc/tsc-style text with the source line
 * and a caret, and JSON for editors and CI annotations.
 *
 * @packageDocumentation
 */
import type { Diagnostic, DiagnosticCounts, Severity, Span } from "./model.js";
import { lineAround } from "./positions.js";

/**
 * Every diagnostic code, stable across releases (tools match on them; the message text may improve).
 * `docs/idl.md` describes each.
 */
export const DiagnosticCodes = [
  "unexpected-character",
  "unterminated-comment",
  "unterminated-string",
  "syntax-error",
  "too-many-diagnostics",
  "interface-name-mismatch",
  "no-messages",
  "type-after-message",
  "include-has-messages",
  "undeclared-type",
  "used-before-declaration",
  "duplicate-type",
  "duplicate-message",
  "duplicate-enum-member",
  "duplicate-field",
  "duplicate-argument",
  "rpc-half-clash",
  "alias-target-not-builtin",
  "builtin-redeclared",
  "unbounded-string",
  "string-not-allowed-here",
  "cap-not-allowed-here",
  "bracket-not-allowed",
  "length-name-clash",
  "size-not-positive",
  "size-too-large",
  "dynarray-element-type",
  "missing-direction",
  "direction-outside-rpc",
  "annotation-missing-value",
  "legacy-call-response",
  "legacy-string",
  "legacy-dynamic-array",
  "nonportable-type",
  "internal-error",
] as const;

/** A stable diagnostic code. */
export type DiagnosticCode = (typeof DiagnosticCodes)[number];

/** Builds a diagnostic (the one place that fixes the shape). */
export function diagnostic(
  code: DiagnosticCode,
  severity: Severity,
  message: string,
  span: Span,
): Diagnostic {
  return { code, severity, message, span };
}

/** Shorthand for an error. */
export function error(code: DiagnosticCode, message: string, span: Span): Diagnostic {
  return diagnostic(code, "error", message, span);
}

/** Shorthand for a warning. */
export function warning(code: DiagnosticCode, message: string, span: Span): Diagnostic {
  return diagnostic(code, "warning", message, span);
}

/** True if any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/**
 * The errors and warnings `diagnostics` stand for: a `too-many-diagnostics` summary counts as what it
 * hides (a summary without `hidden`, such as "the rest of the file was not parsed", counts as itself).
 */
export function countDiagnostics(diagnostics: readonly Diagnostic[]): DiagnosticCounts {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.hidden !== undefined) {
      errors += d.hidden.errors;
      warnings += d.hidden.warnings;
    } else if (d.severity === "error") errors++;
    else warnings++;
  }
  return { errors, warnings };
}

/** Orders diagnostics by file, then position, keeping the order of equal positions. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) =>
    a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : a.span.offset - b.span.offset,
  );
}

/** C0 controls but tab, DEL and C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL_CHARS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** Longest stretch of a source line shown; longer lines are cut around the caret. */
const MAX_SHOWN = 160;

/**
 * The diagnostic as a person reads it, like tsc or rustc:
 *
 * ```text
 * foo.if:3:21: error: type 'uint33' is not declared [undeclared-type]
 *     3 |     message m(uint33 x);
 *       |               ^^^^^^
 * ```
 *
 * `sourceText` is the text of `d.span.file`; the source lines are left out if it is undefined.
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const { file, line, col, offset, length } = d.span;
  const head = `${file}:${line}:${col}: ${d.severity}: ${d.message} [${d.code}]`;
  if (sourceText === undefined) return head;
  const around = lineAround(sourceText, offset, MAX_SHOWN);
  let shown = around.text;
  let caretAt = offset - around.start;
  let prefix = around.clipped ? "..." : "";
  if (shown.length > MAX_SHOWN) {
    const from = Math.max(0, Math.min(caretAt - MAX_SHOWN / 2, shown.length - MAX_SHOWN));
    shown = shown.slice(from, from + MAX_SHOWN);
    caretAt -= from;
    if (from > 0) prefix = "...";
  }
  const carets = Math.max(1, Math.min(length, shown.length - caretAt));
  // Control characters would drive the terminal (escape sequences, carriage returns): one replacement
  // character each, so the caret still lines up.
  shown = shown.replace(CONTROL_CHARS, "\uFFFD");
  // Tabs are copied into the padding so that the caret lines up whatever the tab width.
  const pad = shown.slice(0, caretAt).replace(/[^\t]/g, " ");
  const gutter = String(line);
  const blank = " ".repeat(gutter.length);
  return `${head}\n ${gutter} | ${prefix}${shown}\n ${blank} | ${" ".repeat(prefix.length)}${pad}${"^".repeat(carets)}`;
}

/** One diagnostic as a flat JSON object (the `--format json` form). */
export interface JsonDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly offset: number;
  readonly length: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  /** On a `too-many-diagnostics` entry: the errors and warnings it stands for. */
  readonly hidden?: DiagnosticCounts;
}

/** The flat JSON form of a diagnostic. */
export function toJsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  const { file, line, col, offset, length } = d.span;
  const flat = { file, line, col, offset, length, severity: d.severity, code: d.code, message: d.message };
  return d.hidden === undefined ? flat : { ...flat, hidden: d.hidden };
}

/** Diagnostics as a JSON document: `{ "diagnostics": [...] }`, newline-terminated. */
export function formatDiagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  return `${JSON.stringify({ diagnostics: diagnostics.map(toJsonDiagnostic) }, null, 2)}\n`;
}
