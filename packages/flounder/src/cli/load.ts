/**
 * Reading and checking the input interfaces for `gen` and `layout` through `@shoal/idl`, printing the
 * diagnostics the way `flounder check` does.
 *
 * @packageDocumentation
 */
import {
  type CliIO,
  checkFiles,
  DEFAULT_INCLUDES_FILE,
  DEFAULT_INCLUDES_TEXT,
  formatDiagnostic,
  type InterfaceModel,
} from "@shoal/idl";

/** The checked models, or the exit status when something failed (diagnostics already printed). */
export type Loaded =
  | { readonly ok: true; readonly models: readonly { file: string; model: InterfaceModel }[] }
  | { readonly ok: false; readonly status: 1 | 2 };

/** Checks `files`; prints every diagnostic to `io.err`. Errors in any file fail the whole command. */
export async function loadModels(
  files: readonly string[],
  includes: readonly string[],
  defaultIncludes: boolean,
  io: CliIO,
): Promise<Loaded> {
  const result = await checkFiles(files, { includes, defaultIncludes });
  const ioErrors = [...result.includeErrors, ...result.files.flatMap((f) => (f.ok ? [] : [f.error]))];
  for (const e of ioErrors) io.err(`flounder: error: ${e.message} [${e.code}]\n`);
  if (ioErrors.length > 0) return { ok: false, status: 2 };
  const models: { file: string; model: InterfaceModel }[] = [];
  let failed = false;
  const seen = new Set<string>();
  for (const f of result.files) {
    if (!f.ok) continue;
    for (const d of f.result.diagnostics) {
      const key = `${d.span.file}\0${d.span.offset}\0${d.code}\0${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const text =
        d.span.file === DEFAULT_INCLUDES_FILE ? DEFAULT_INCLUDES_TEXT : result.sources.get(d.span.file);
      io.err(`${formatDiagnostic(d, text)}\n\n`);
    }
    if (f.result.model === undefined) failed = true;
    else models.push({ file: f.file, model: f.result.model });
  }
  return failed ? { ok: false, status: 1 } : { ok: true, models };
}
