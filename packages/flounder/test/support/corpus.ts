/**
 * The interface corpus (Barrelfish's .if files, kept in the repository in `corpus/barrelfish/if`) and
 * the project's own interfaces, checked by @shoal/idl, plus writing their generated stubs somewhere
 * importable.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { checkFiles, type InterfaceModel } from "@shoal/idl";
import { generate } from "../../src/generate.js";
import { pascalCase } from "../../src/names.js";

/** packages/flounder. */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The repository root. */
export const REPO_DIR = resolve(PACKAGE_DIR, "../..");
/** The corpus, resolved relative to the repository (never an absolute machine path). */
export const CORPUS_DIR = resolve(REPO_DIR, "corpus/barrelfish/if");
/** The project's own interfaces. */
export const INTERFACES_DIR = resolve(REPO_DIR, "interfaces");

/** Interface files of a directory (types.if is an include, not an interface). */
export function interfaceFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".if") && f !== "types.if")
    .sort()
    .map((f) => join(dir, f));
}

/** Checks `files` and returns their models; fails loudly if any does not check. */
export async function loadModels(files: readonly string[]): Promise<InterfaceModel[]> {
  const result = await checkFiles(files, { includes: [], defaultIncludes: true });
  return result.files.map((f) => {
    if (!f.ok || f.result.model === undefined)
      throw new Error(
        `${f.file} does not check: ${f.ok ? f.result.diagnostics.map((d) => d.message).join("; ") : f.error.message}`,
      );
    return f.result.model;
  });
}

/** A scratch directory inside the package (so `@shoal/runtime` resolves), emptied first. */
export function scratchDir(name: string): string {
  const dir = join(PACKAGE_DIR, ".tmp", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes the stubs of `models` into `dir`; returns the paths by interface name. */
export function writeStubs(models: readonly InterfaceModel[], dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of models) {
    const path = join(dir, `${m.name}.ts`);
    writeFileSync(path, generate(m, { source: basename(m.file) }));
    out.set(m.name, path);
  }
  return out;
}

/** The constructor-side of a generated binding class, as the tests use it. */
export interface BindingClass {
  bind(endpoint: unknown, options?: object): GeneratedBinding;
  bindChannel(channel: unknown, options?: object): GeneratedBinding;
  readonly fingerprint: string;
}

/** A generated binding, seen through its public contract. */
export interface GeneratedBinding {
  readonly tx: Record<string, (...args: unknown[]) => Promise<void>>;
  readonly rpc: Record<string, (...args: unknown[]) => Promise<unknown>>;
  canSend(): boolean;
  whenSendable(): Promise<void>;
  close(): Promise<void>;
  readonly closed: boolean;
}

/** Imports a generated module and returns its binding class. */
export async function importBinding(path: string, iface: string): Promise<BindingClass> {
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const cls = mod[pascalCase(iface)];
  if (cls === undefined) throw new Error(`${path} exports no ${pascalCase(iface)}`);
  return cls as BindingClass;
}
