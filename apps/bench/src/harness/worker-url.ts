/**
 * Where a worker's compiled file is. The suites run compiled from dist/ (`pnpm bench`) or as TypeScript
 * from src/ (vitest); workers always run compiled, so from src/ they are taken from dist/ (the test
 * task builds first).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The URL of `dist/workers/<name>.js`. */
export function workerUrl(name: string): URL {
  const beside = new URL(`../workers/${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL(`../../dist/workers/${name}.js`, import.meta.url);
}
