/**
 * Where a built file of this folder is: beside this module when it runs from dist/bench, else (vitest
 * runs the sources) in dist/bench. Workers and domains must be built JavaScript.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function built(relative: string): URL {
  const here = new URL(relative, import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL(`../dist/bench/${relative}`, import.meta.url);
}
