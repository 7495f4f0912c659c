/**
 * `flounder gen [-i FILE]... -o DIR FILE...`: writes `DIR/<interface>.ts` for every input.
 *
 * @packageDocumentation
 */
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { CliIO } from "@shoal/idl";
import { isGenerateError } from "../errors.js";
import { generate, outputFileName } from "../generate.js";
import { parseInputArgs, UsageError } from "./args.js";
import { loadModels } from "./load.js";

/** Usage of `flounder gen`. */
export const GEN_USAGE = `usage: flounder gen [-i FILE]... [--no-default-includes] -o DIR FILE...
  writes DIR/<interface>.ts for every FILE: types, message numbers, marshaling code and the binding
  class, for the urpc, lrpc and port transports (the generated file imports only @shoal/runtime)
  -o, --out DIR            output directory (created if missing)
exit status: 0 written, 1 errors in the input (nothing written), 2 usage or I/O error
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
    io.err(`flounder: cannot write to ${out}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  for (const o of outputs) io.out(`wrote ${o.path}\n`);
  return 0;
}
