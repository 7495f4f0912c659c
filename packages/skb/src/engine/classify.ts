/**
 * Turns the engine's error replies into SkbErrors with stable codes, positions and readable messages.
 */
import { type SkbDiagnostic, SkbError, type SkbErrorCode } from "../errors.js";
import { formatTerm, type PlCompound, type Term } from "./terms.js";

function isCompound(t: Term | undefined, functor?: string, arity?: number): t is PlCompound {
  return (
    typeof t === "object" &&
    t !== null &&
    !Array.isArray(t) &&
    (t as PlCompound).kind === "compound" &&
    (functor === undefined || (t as PlCompound).functor === functor) &&
    (arity === undefined || (t as PlCompound).args.length === arity)
  );
}

const FORMAL_CODES: Readonly<Record<string, SkbErrorCode>> = {
  syntax_error: "SYNTAX",
  existence_error: "EXISTENCE",
  type_error: "TYPE",
  domain_error: "DOMAIN",
  representation_error: "DOMAIN",
  instantiation_error: "INSTANTIATION",
  uninstantiation_error: "INSTANTIATION",
  permission_error: "PERMISSION",
  evaluation_error: "EVALUATION",
  resource_error: "RESOURCE",
  time_limit_exceeded: "TIME_LIMIT",
};

/** The stable code of a Prolog error term (the ball of a throw). */
export function codeOfBall(ball: Term): SkbErrorCode {
  if (ball === "skb_time_limit" || ball === "time_limit_exceeded") return "TIME_LIMIT";
  if (isCompound(ball, "error", 2)) {
    const formal = ball.args[0];
    const name = typeof formal === "string" ? formal : isCompound(formal) ? formal.functor : undefined;
    const code = name === undefined ? undefined : FORMAL_CODES[name];
    if (code !== undefined) return code;
  }
  return "THROWN";
}

/** Builds the SkbError for a failed query from the ball it threw and the engine's message. */
export function queryError(query: string, ball: Term, message: string, limitMs: number): SkbError {
  const code = codeOfBall(ball);
  const term = formatTerm(ball);
  if (code === "TIME_LIMIT") {
    return new SkbError("TIME_LIMIT", `query ran over its time limit of ${limitMs} ms: ${query}`, {
      query,
      term,
    });
  }
  if (code === "SYNTAX" && isCompound(ball, "error", 2)) {
    const where = ball.args[1];
    // error(syntax_error(What), string(Text, CharIndex)): the index is 0-based within the query.
    const index =
      isCompound(where, "string", 2) && typeof where.args[1] === "number" ? where.args[1] : undefined;
    const column = index === undefined ? undefined : Math.min(index, query.length) + 1;
    const what = syntaxWhat(ball);
    return new SkbError("SYNTAX", `syntax error in query${column ? ` at column ${column}` : ""}: ${what}`, {
      query,
      term,
      file: "<query>",
      line: 1,
      ...(column === undefined ? {} : { column }),
    });
  }
  if (code === "THROWN") {
    return new SkbError("THROWN", `query threw ${term}`, { query, term });
  }
  return new SkbError(code, firstLine(message) || term, { query, term });
}

function syntaxWhat(ball: PlCompound): string {
  const formal = ball.args[0];
  const what = isCompound(formal, "syntax_error", 1) ? formal.args[0] : undefined;
  return typeof what === "string"
    ? what.replaceAll("_", " ")
    : what === undefined
      ? "unknown"
      : formatTerm(what);
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.trim() ?? "";
}

/** One diagnostic of the engine's load reply: `{kind, line, message, term}`. */
export interface RawDiagnostic {
  readonly kind: string;
  readonly line: number;
  readonly message: string;
  readonly term: Term;
}

/** Positions and cleans a load diagnostic (the engine's message repeats `file:line:col:`). */
export function toDiagnostic(file: string, d: RawDiagnostic): SkbDiagnostic {
  const term = d.term;
  let line = d.line;
  let column = 0;
  if (isCompound(term, "error", 2)) {
    const where = term.args[1];
    // error(syntax_error(What), file(File, Line, LinePos, CharNo)): LinePos is 0-based.
    if (
      isCompound(where, "file", 4) &&
      typeof where.args[1] === "number" &&
      typeof where.args[2] === "number"
    ) {
      line = where.args[1];
      column = where.args[2] + 1;
    }
  }
  const message = d.message.replace(/^[^\n:]*:\d+:\d+: /, "");
  return { severity: d.kind === "error" ? "error" : "warning", file, line, column, message };
}

/** The error a load with error diagnostics throws: SYNTAX if the first error is one, else LOAD. */
export function loadError(
  file: string,
  diagnostics: readonly SkbDiagnostic[],
  raw: readonly RawDiagnostic[],
): SkbError {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const first = errors[0];
  const firstRaw = raw.find((d) => d.kind === "error");
  const isSyntax = firstRaw !== undefined && codeOfBall(firstRaw.term) === "SYNTAX";
  const where = first === undefined ? file : `${file}:${first.line}${first.column ? `:${first.column}` : ""}`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return new SkbError(isSyntax ? "SYNTAX" : "LOAD", `${where}: ${first?.message ?? "load failed"}${more}`, {
    file,
    ...(first === undefined ? {} : { line: first.line, column: first.column }),
    diagnostics,
  });
}
