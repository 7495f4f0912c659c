/**
 * The `flounder check` and `flounder ast` commands. The `flounder` binary (package `@shoal/flounder`)
 * dispatches to these; they write through a {@link CliIO} and return the exit code: 0 clean (warnings
 * allowed), 1 errors in the input, 2 usage or I/O error.
 *
 * @packageDocumentation
 */
import { countDiagnostics, formatDiagnostic, toJsonDiagnostic } from "./diagnostics.js";
import { IdlUsageError } from "./errors.js";
import { type CheckFilesResult, checkFiles } from "./files.js";
import type { Diagnostic } from "./model.js";

/** Where a command writes: `out` for results, `err` for diagnostics of the command line itself. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

/** Usage of `flounder check`. */
export const CHECK_USAGE = `usage: flounder check [-i FILE]... [--no-default-includes] [--format text|json] FILE...
  -i, --include FILE       read type declarations from FILE first (repeatable, in order)
  --no-default-includes    do not predeclare coreid, domainid, cycles, genpaddr, genvaddr, rsrcid
  --format text|json       diagnostics as text (default) or as one JSON document
exit status: 0 no errors (warnings allowed), 1 errors, 2 usage or I/O error
`;

/** Usage of `flounder ast`. */
export const AST_USAGE = `usage: flounder ast [-i FILE]... [--no-default-includes] [--json] FILE
  prints the checked model of FILE (--json: as JSON, for tools)
exit status: 0 printed, 1 errors in FILE, 2 usage or I/O error
`;

interface Parsed {
  files: string[];
  includes: string[];
  defaultIncludes: boolean;
  format: "text" | "json";
  help: boolean;
}

function parseArgs(args: readonly string[], command: "check" | "ast"): Parsed {
  const p: Parsed = { files: [], includes: [], defaultIncludes: true, format: "text", help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    const value = (name: string): string => {
      const v = args[++i];
      if (v === undefined || v === "") throw new IdlUsageError(`option ${name} needs a value`);
      return v;
    };
    if (a === "--") {
      p.files.push(...args.slice(i + 1));
      break;
    }
    if (a === "-h" || a === "--help") p.help = true;
    else if (a === "-i" || a === "--include" || a === "--import") p.includes.push(value(a));
    else if (a.startsWith("--include=")) p.includes.push(a.slice("--include=".length));
    else if (a.startsWith("-i") && a.length > 2 && !a.startsWith("--")) p.includes.push(a.slice(2));
    else if (a === "--no-default-includes") p.defaultIncludes = false;
    else if (command === "check" && (a === "--format" || a.startsWith("--format="))) {
      const f = a === "--format" ? value(a) : a.slice("--format=".length);
      if (f !== "text" && f !== "json")
        throw new IdlUsageError(`--format must be 'text' or 'json', not '${f}'`);
      p.format = f;
    } else if (command === "ast" && a === "--json") p.format = "json";
    else if (a.startsWith("-") && a !== "-") throw new IdlUsageError(`unknown option '${a}'`);
    else p.files.push(a);
  }
  return p;
}

function usage(io: CliIO, text: string, e: unknown): number {
  io.err(`flounder: ${e instanceof Error ? e.message : String(e)}\n${text}`);
  return 2;
}

function sourceOf(result: CheckFilesResult, file: string): string | undefined {
  return result.sources.get(file);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The last line of `flounder check`. A file that could not be read is an error of the run, so the
 * summary never reads as a clean "0 files checked: 0 errors".
 */
function checkSummary(given: number, result: CheckFilesResult, errors: number, warnings: number): string {
  const checked = result.files.filter((f) => f.ok).length;
  const unread = result.files.length - checked;
  const includes = result.includeErrors.length;
  const counts = `${plural(errors + unread + includes, "error")}, ${plural(warnings, "warning")}`;
  if (unread === 0 && includes === 0) return `${plural(checked, "file")} checked: ${counts}`;
  const why =
    includes > 0 ? `${plural(includes, "include")} could not be read` : `${unread} could not be read`;
  return `${checked} of ${plural(given, "file")} checked (${why}): ${counts}`;
}

/** `flounder check`: checks every FILE (one process, includes read once) and prints the diagnostics. */
export async function checkCommand(args: readonly string[], io: CliIO): Promise<number> {
  let p: Parsed;
  try {
    p = parseArgs(args, "check");
  } catch (e) {
    return usage(io, CHECK_USAGE, e);
  }
  if (p.help) {
    io.out(CHECK_USAGE);
    return 0;
  }
  if (p.files.length === 0) return usage(io, CHECK_USAGE, new IdlUsageError("no input file"));
  const result = await checkFiles(p.files, { includes: p.includes, defaultIncludes: p.defaultIncludes });
  const ioErrors = [...result.includeErrors, ...result.files.flatMap((f) => (f.ok ? [] : [f.error]))];
  const diagnostics: Diagnostic[] = [];
  // Include diagnostics repeat for each file checked with them; report each once.
  const seen = new Set<string>();
  for (const f of result.files) {
    if (!f.ok) continue;
    for (const d of f.result.diagnostics) {
      const key = `${d.span.file}\0${d.span.offset}\0${d.code}\0${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diagnostics.push(d);
    }
  }
  // Counted from what the diagnostics stand for: a "N more diagnostics not shown" summary counts as
  // the N it hides, so the totals agree with it.
  const { errors, warnings } = countDiagnostics(diagnostics);
  if (p.format === "json") {
    const doc = {
      files: result.files.map((f) => ({
        file: f.file,
        ok: f.ok && f.result.model !== undefined,
        ...(f.ok ? {} : { ioError: { code: f.error.code, message: f.error.message } }),
      })),
      ioErrors: ioErrors.map((e) => ({ file: e.path, code: e.code, message: e.message })),
      diagnostics: diagnostics.map(toJsonDiagnostic),
      errors,
      warnings,
    };
    io.out(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    for (const e of ioErrors) io.err(`flounder: error: ${e.message} [${e.code}]\n`);
    for (const d of diagnostics) io.out(`${formatDiagnostic(d, sourceOf(result, d.span.file))}\n\n`);
    io.out(`${checkSummary(p.files.length, result, errors, warnings)}\n`);
  }
  if (ioErrors.length > 0) return 2;
  return errors > 0 ? 1 : 0;
}

/** `flounder ast`: prints the checked model of one FILE (as JSON with `--json`). */
export async function astCommand(args: readonly string[], io: CliIO): Promise<number> {
  let p: Parsed;
  try {
    p = parseArgs(args, "ast");
    if (!p.help && p.files.length !== 1) {
      throw new IdlUsageError(p.files.length === 0 ? "no input file" : "ast takes exactly one file");
    }
  } catch (e) {
    return usage(io, AST_USAGE, e);
  }
  if (p.help) {
    io.out(AST_USAGE);
    return 0;
  }
  const result = await checkFiles(p.files, { includes: p.includes, defaultIncludes: p.defaultIncludes });
  const f = result.files[0];
  const ioError = result.includeErrors[0] ?? (f && !f.ok ? f.error : undefined);
  if (ioError || !f || !f.ok) {
    io.err(`flounder: error: ${ioError ? `${ioError.message} [${ioError.code}]` : "no result"}\n`);
    return 2;
  }
  for (const d of f.result.diagnostics) io.err(`${formatDiagnostic(d, sourceOf(result, d.span.file))}\n\n`);
  const model = f.result.model;
  if (!model) return 1;
  if (p.format === "json") io.out(`${JSON.stringify(model, null, 2)}\n`);
  else io.out(outline(model));
  return 0;
}

/** A short human-readable outline of a model (the default `ast` output). */
function outline(model: import("./model.js").InterfaceModel): string {
  const lines = [`interface ${model.name}${model.description ? ` "${model.description}"` : ""}`];
  for (const t of model.types) {
    if (model.includedTypes.includes(t.name)) continue;
    lines.push(`  type ${t.name}: ${t.kind}`);
  }
  for (const m of model.messages) {
    const args = m.args
      .map((a) => {
        if (a.kind === "string") return `String ${a.name}[${a.bound}]`;
        if (a.kind === "dynarray") return `${a.element.name} ${a.name}[${a.lengthName}, ${a.max}]`;
        return `${a.type.name} ${a.name}`;
      })
      .join(", ");
    lines.push(`  #${m.number} ${m.name}(${args})`);
  }
  return `${lines.join("\n")}\n`;
}
