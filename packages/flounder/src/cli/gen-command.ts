/**
 * `flounder gen [-i FILE]... -o DIR FILE...`: writes `DIR/<interface>.ts` for every input.
 *
 * @packageDocumentation
 */
import { mkdir, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { CliIO } from "@shoal/idl";
import { isGenerateError, OutputError } from "../errors.js";
import { generate, outputFileName } from "../generate.js";
import { INPUT_OPTIONS_USAGE, parseInputArgs, UsageError } from "./args.js";
import { loadModels } from "./load.js";

/** Usage of `flounder gen`. */
export const GEN_USAGE = `usage: flounder gen [-i FILE]... [--no-default-includes] -o DIR FILE...
  writes DIR/<interface>.ts for every FILE: types, message numbers, marshaling code and the binding
  class, for the urpc, lrpc and port transports (the generated file imports only @shoal/runtime)
  -o, --out DIR            output directory (created if missing; an existing file is refused)
${INPUT_OPTIONS_USAGE}exit status: 0 written, 1 errors in the input (nothing written), 2 usage or I/O error
`;

/** `flounder gen`: returns the exit status. Writes nothing unless every input compiles. */
export async function genCommand(args: readonly string[], io: CliIO): Promise<number> {
  let out: string | undefined;
  let p: ReturnType<typeof parseInputArgs>;
  try {
    p = parseInputArgs(args, (flag, next) => {
      if (flag === "-o" || flag === "--out") out = next();
      else if (flag.startsWith("--out=")) out = flag.slice("--out=".length);
      else return false;
      return true;
    });
    if (!p.help && out === undefined) throw new UsageError("missing -o DIR");
    if (!p.help && p.files.length === 0) throw new UsageError("no input file");
  } catch (e) {
    io.err(`flounder: ${e instanceof Error ? e.message : String(e)}\n${GEN_USAGE}`);
    return 2;
  }
  if (p.help || out === undefined) {
    io.out(GEN_USAGE);
    return 0;
  }
  // Before compiling anything: a wrong -o is the user's to fix first, whatever the inputs say.
  const unusable = await unusableOutput(out);
  if (unusable !== undefined) return reportOutputError(io, unusable);
  const loaded = await loadModels(p.files, p.includes, p.defaultIncludes, io);
  if (!loaded.ok) return loaded.status;

  const outputs: { path: string; text: string }[] = [];
  const names = new Map<string, string>();
  let failed = false;
  for (const { file, model } of loaded.models) {
    const previous = names.get(model.name);
    if (previous !== undefined) {
      io.err(`flounder: ${file}: interface '${model.name}' is also defined in ${previous}\n`);
      failed = true;
      continue;
    }
    names.set(model.name, file);
    try {
      outputs.push({
        path: join(out, outputFileName(model)),
        text: generate(model, { source: basename(file) }),
      });
    } catch (e) {
      if (!isGenerateError(e)) throw e;
      io.err(`flounder: ${file}: ${e.message}\n`);
      failed = true;
    }
  }
  if (failed) return 1;
  try {
    await mkdir(out, { recursive: true });
    for (const o of outputs) await writeFile(o.path, o.text);
  } catch (e) {
    return reportOutputError(io, outputError(out, e));
  }
  for (const o of outputs) io.out(`wrote ${o.path}\n`);
  return 0;
}

function reportOutputError(io: CliIO, e: OutputError): 2 {
  io.err(`flounder: error: ${e.message} [${e.code}]\n`);
  return 2;
}

/** Why `out` cannot be the output directory, if it exists and is not one. */
async function unusableOutput(out: string): Promise<OutputError | undefined> {
  try {
    if ((await stat(out)).isDirectory()) return undefined;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    // Missing is fine (mkdir creates it); a path through a file is reported like an existing file.
    if (code === "ENOENT") return undefined;
    return outputError(out, e);
  }
  return notADirectory(out);
}

function notADirectory(out: string): OutputError {
  return new OutputError(
    "OUT_NOT_A_DIRECTORY",
    out,
    `-o ${out}: not a directory (gen writes one <interface>.ts per input into the directory -o names)`,
  );
}

/** A file-system failure while writing the output, as a typed error with a readable reason. */
function outputError(out: string, e: unknown): OutputError {
  const code = (e as { code?: unknown }).code;
  if (code === "EEXIST") return notADirectory(out);
  if (code === "ENOTDIR") {
    return new OutputError(
      "OUT_NOT_A_DIRECTORY",
      out,
      `-o ${out}: a part of the path is a file, not a directory`,
    );
  }
  const why =
    code === "EACCES" || code === "EPERM"
      ? "permission denied"
      : code === "ENOSPC"
        ? "no space left on the device"
        : e instanceof Error
          ? e.message
          : String(e);
  return new OutputError("WRITE_FAILED", out, `cannot write to ${out}: ${why}`);
}
