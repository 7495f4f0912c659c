/**
 * `check()`: parses an interface and its includes, runs every check on the (possibly recovered) trees,
 * and builds the {@link InterfaceModel} when no error remains. Pure: no file system, runs anywhere.
 *
 * @packageDocumentation
 */
import type { FileAst } from "../ast.js";
import { DEFAULT_INCLUDES_FILE, DEFAULT_INCLUDES_TEXT } from "../default-includes.js";
import { error, hasErrors, sortDiagnostics } from "../diagnostics.js";
import {
  type Diagnostic,
  FIRST_MESSAGE_NUMBER,
  type InterfaceModel,
  type MessageDecl,
  type RpcDecl,
  type WireMessage,
} from "../model.js";
import { capDiagnostics, type ParseResult, parse, parseInclude } from "../parse.js";
import { checkMessages } from "./messages.js";
import { TypeScope } from "./scope.js";
import { checkIncludeShape, checkInterfaceShape, splitItems } from "./structure.js";
import { checkTypeDecls } from "./types.js";

/** Most diagnostics reported for one interface file (syntax errors are capped lower, in `parse`). */
export const MAX_DIAGNOSTICS = 200;

/** An include file's name (used in diagnostics) and text. */
export interface IncludeSource {
  readonly file: string;
  readonly text: string;
}

/** Options of {@link check}. */
export interface CheckOptions {
  /** Include files (`-i FILE`), in order; later ones may redeclare earlier types. */
  readonly includes?: readonly IncludeSource[];
  /** Predeclare Barrelfish's standard types (coreid, domainid, cycles, genpaddr, ...). Default true. */
  readonly defaultIncludes?: boolean;
}

/** What {@link check} returns. `model` is present if and only if there is no error (warnings allowed). */
export interface CheckResult {
  readonly model?: InterfaceModel;
  /** Every diagnostic of the interface and its includes, sorted by file and position. */
  readonly diagnostics: Diagnostic[];
}

/**
 * Checks one interface file. Never throws on any input: every problem is a positioned diagnostic.
 *
 * @param text the file's contents
 * @param fileName the name used in diagnostics and compared with the interface name (`foo.if` for
 *   `interface foo`); names starting with `<` (like `<stdin>`) skip that comparison
 */
export function check(text: string, fileName: string, options: CheckOptions = {}): CheckResult {
  try {
    return checkUnsafe(text, fileName, options);
  } catch (e) {
    // Defence in depth: a bug in a check must still not become a stack trace for the user.
    const message = `internal checker failure: ${e instanceof Error ? e.message : String(e)}`;
    return {
      diagnostics: [
        error("internal-error", message, { file: fileName, line: 1, col: 1, offset: 0, length: 0 }),
      ],
    };
  }
}

function checkUnsafe(text: string, fileName: string, options: CheckOptions): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const scope = new TypeScope();
  const includes: IncludeSource[] = [
    ...(options.defaultIncludes === false
      ? []
      : [{ file: DEFAULT_INCLUDES_FILE, text: DEFAULT_INCLUDES_TEXT }]),
    ...(options.includes ?? []),
  ];
  // Each file's diagnostics are capped on their own, so that a broken include cannot hide the
  // interface's errors (nor the reverse).
  for (const inc of includes) {
    const parsed = parseIncludeCached(inc);
    const found = [...parsed.diagnostics];
    checkIncludeShape(parsed.ast, found);
    checkTypeDecls(splitItems(parsed.ast).types, inc.file, true, scope, found);
    diagnostics.push(...capDiagnostics(foldPortability(found), parsed.lines, MAX_DIAGNOSTICS));
  }
  const parsed = parse(text, fileName);
  const found = [...parsed.diagnostics];
  const syntaxOk = parsed.diagnostics.length === 0;
  checkInterfaceShape(parsed.ast, syntaxOk, found);
  const { types, messages } = splitItems(parsed.ast);
  checkTypeDecls(types, fileName, false, scope, found);
  const decls = checkMessages(messages, scope, found);
  diagnostics.push(...capDiagnostics(foldPortability(found), parsed.lines, MAX_DIAGNOSTICS));
  const sorted = sortDiagnostics(diagnostics);
  if (hasErrors(sorted)) return { diagnostics: sorted };
  return { model: buildModel(parsed.ast, scope, decls), diagnostics: sorted };
}

/**
 * Parsed include files, reused across checks: `checkFiles` checks many interfaces with the same
 * includes (and every check parses the default includes). Trees are never mutated, so sharing is safe.
 */
const includeCache = new Map<string, ParseResult>();
const INCLUDE_CACHE_LIMIT = 32;

function parseIncludeCached(inc: IncludeSource): ParseResult {
  const key = `${inc.file}\0${inc.text}`;
  let parsed = includeCache.get(key);
  if (!parsed) {
    parsed = parseInclude(inc.text, inc.file);
    if (includeCache.size >= INCLUDE_CACHE_LIMIT) includeCache.clear();
    includeCache.set(key, parsed);
  }
  return parsed;
}

/**
 * One portability warning per type name and file, at its first use, counting the others: a file like
 * monitor.if uses `uintptr` forty times, and forty identical warnings would bury everything else.
 */
function foldPortability(diagnostics: Diagnostic[]): Diagnostic[] {
  const firsts = new Map<string, { index: number; count: number }>();
  const kept: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.code !== "nonportable-type") {
      kept.push(d);
      continue;
    }
    const key = `${d.span.file}\0${d.message}`;
    const first = firsts.get(key);
    if (first) first.count++;
    else {
      firsts.set(key, { index: kept.length, count: 1 });
      kept.push(d);
    }
  }
  for (const { index, count } of firsts.values()) {
    const d = kept[index];
    if (d && count > 1)
      kept[index] = { ...d, message: `${d.message} (${count} uses in this file; this is the first)` };
  }
  return kept;
}

/** The model of an interface whose checks all passed. */
function buildModel(ast: FileAst, scope: TypeScope, decls: (MessageDecl | RpcDecl)[]): InterfaceModel {
  const entries = scope.entries();
  // Include types first, then the file's own, each group in declaration order.
  const included = entries.filter((e) => e.included);
  const own = entries.filter((e) => !e.included);
  const messages: WireMessage[] = [];
  const push = (m: Omit<WireMessage, "number">) =>
    messages.push({ ...m, number: FIRST_MESSAGE_NUMBER + messages.length });
  for (const d of decls) {
    if (d.kind === "message") {
      push({ name: d.name, origin: "message", args: d.args, annotations: d.annotations, span: d.span });
    } else {
      const common = { rpc: d.name, annotations: d.annotations, span: d.span };
      const ins = d.args.filter((a) => a.direction === "in").map((a) => a.arg);
      const outs = d.args.filter((a) => a.direction === "out").map((a) => a.arg);
      push({ name: `${d.name}_call`, origin: "call", args: ins, ...common });
      push({ name: `${d.name}_response`, origin: "response", args: outs, ...common });
    }
  }
  const header = ast.header;
  return {
    name: header?.name?.text ?? "",
    ...(header?.description !== undefined ? { description: header.description } : {}),
    file: ast.file,
    span: header?.name?.span ?? ast.span,
    types: [...included, ...own].map((e) => e.decl),
    includedTypes: included.map((e) => e.decl.name),
    decls,
    messages,
  };
}
