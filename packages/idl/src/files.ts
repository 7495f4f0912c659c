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
    const bytes = await readFile(path);
    const notText = whyNotText(bytes);
    if (notText !== undefined) {
      return { error: new IdlIoError("NOT_TEXT", path, `${path}: not a text file (${notText})`) };
    }
    const text = bytes.toString("utf8");
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

/**
 * Why `bytes` are not UTF-8 text, or undefined if they are. Checked before anything is parsed so that a
 * binary file gets one clear error instead of a screenful of diagnostics quoting its bytes.
 */
export function whyNotText(bytes: Uint8Array): string | undefined {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return `a NUL byte at offset ${nul}`;
  const bad = firstInvalidUtf8(bytes);
  return bad < 0 ? undefined : `invalid UTF-8 at byte offset ${bad}`;
}

/** Offset of the first byte that starts no valid UTF-8 sequence (overlongs and surrogates too), or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    // Sequence length, and the allowed range of the second byte (it rules out overlongs, surrogates
    // and code points past U+10FFFF), after RFC 3629's table.
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n > b.length) return i;
    const second = b[i + 1] as number;
    if (second < lo || second > hi) return i;
    for (let k = 2; k < n; k++) {
      const cont = b[i + k] as number;
      if (cont < 0x80 || cont > 0xbf) return i;
    }
    i += n;
  }
  return -1;
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
