import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The Barrelfish interface corpus, kept in the repository (`<repo>/corpus/barrelfish/if`, MIT, its licence beside it).
 * The repository root is found by walking up to `pnpm-workspace.yaml`, so this works from the sources
 * and from compiled scripts alike.
 */
export function corpusDir(): string {
  return join(repoRoot(), "corpus", "barrelfish", "if");
}

/** The repository root: the nearest directory above this file holding `pnpm-workspace.yaml`. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "pnpm-workspace.yaml"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("repoRoot: no pnpm-workspace.yaml above this file");
    dir = parent;
  }
  return dir;
}
