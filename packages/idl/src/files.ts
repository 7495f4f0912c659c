/**
 * Checking files on disk: reads the includes once, then each interface, and returns results as data
 * (an unreadable file is an {@link IdlIoError} in the result, not an exception). The stub compiler's
 * `flounder gen -i FILE ... FILE...` calls this, so include handling is the same everywhere.
 *
 * @packageDocumentation
 */
import { type CheckResult, check, type IncludeSource } from "./check/index.js";
import { DEFAULT_INCLUDES_FILE, DEFAULT_INCLUDES_TEXT } from "./default-includes.js";
import { IdlIoError } from "./errors.js";

/** Files larger than this are refused unread (the language has no use for them; 64 MiB). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Options of {@link checkFiles}. */
export interface CheckFilesOptions {
  /** Paths of include files (`-i`), in order. */
  readonly includes: readonly string[];
  /** Predeclare Barrelfish's standard types (see `default-includes.ts`). */
  readonly defaultIncludes: boolean;
}

/** The outcome for one input path. */
export type FileCheckResult =
  | { readonly file: string; readonly ok: true; readonly text: string; readonly result: CheckResult }
  | { readonly file: string; readonly ok: false; readonly error: IdlIoError };

/** What {@link checkFiles} returns. */
export interface CheckFilesResult {
  /** One entry per input path, in the given order (empty if an include could not be read). */
  readonly files: readonly FileCheckResult[];
  /** Include files that could not be read; if any, no interface was checked. */
  readonly includeErrors: readonly IdlIoError[];
  /**
   * The text of every file read (includes and interfaces) by path, and of the default includes under
   * `DEFAULT_INCLUDES_FILE`: what `formatDiagnostic` needs for any diagnostic of the result.
   */
  readonly sources: ReadonlyMap<string, string>;
}

/** Reads a text file as UTF-8 (a leading byte-order mark is dropped), or returns why it could not. */
export async function readSource(path: string): Promise<{ text: string } | { error: IdlIoError }> {
  try {
    // Imported here, not at the top, so that the package entry loads where there is no file system
    // (`check` and `parse` need none).
    const { readFile, stat } = await import("node:fs/promises");
    const info = await stat(path);
    if (!info.isFile()) return { error: new IdlIoError("NOT_A_FILE", path, `${path}: not a file`) };
    if (info.size > MAX_FILE_BYTES) {
      return {
        error: new IdlIoError(
          "FILE_TOO_LARGE",
          path,
          `${path}: file too large (${info.size} bytes, limit ${MAX_FILE_BYTES})`,
        ),
      };
    }
    const text = await readFile(path, "utf8");
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      return { error: new IdlIoError("FILE_NOT_FOUND", path, `${path}: no such file`) };
    }
    const why = e instanceof Error ? e.message : String(e);
    return { error: new IdlIoError("READ_FAILED", path, `${path}: cannot read (${why})`) };
  }
}

/** Checks interface files with the given includes. Never rejects on bad input or missing files. */
export async function checkFiles(
  paths: readonly string[],
  options: CheckFilesOptions,
): Promise<CheckFilesResult> {
  const sources = new Map<string, string>();
  if (options.defaultIncludes) sources.set(DEFAULT_INCLUDES_FILE, DEFAULT_INCLUDES_TEXT);
  const includes: IncludeSource[] = [];
  const includeErrors: IdlIoError[] = [];
  for (const p of options.includes) {
    const r = await readSource(p);
    if ("error" in r) includeErrors.push(r.error);
    else {
      sources.set(p, r.text);
      includes.push({ file: p, text: r.text });
    }
  }
  if (includeErrors.length > 0) return { files: [], includeErrors, sources };
  const files: FileCheckResult[] = [];
  for (const p of paths) {
    const r = await readSource(p);
    if ("error" in r) {
      files.push({ file: p, ok: false, error: r.error });
      continue;
    }
    sources.set(p, r.text);
    const result = check(r.text, p, { includes, defaultIncludes: options.defaultIncludes });
    files.push({ file: p, ok: true, text: r.text, result });
  }
  return { files, includeErrors, sources };
}
