/**
 * Where a worker's compiled file is. The suites run compiled from dist/ (`pnpm bench`) or as TypeScript
 * from bench/ (vitest); workers always run compiled, so from bench/ they are taken from dist/bench/ (the
 * test script builds first).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The URL of `dist/bench/workers/<name>.js`. */
export function workerUrl(name: string): URL {
  const beside = new URL(`../workers/${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL(`../../dist/bench/workers/${name}.js`, import.meta.url);
}
