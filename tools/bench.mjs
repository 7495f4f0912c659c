#!/usr/bin/env node
// `pnpm bench [SUITE] [options]` from anywhere in the checkout: runs the built benchmark runner (apps/bench),
// which runs a package's suite (the runtime's transport benchmark by default).
// pnpm runs root scripts in the root, so go back to the directory the command was typed in first, so
// that relative `--json FILE` / `--svg FILE` paths land where the user expects.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const entry = fileURLToPath(new URL("../apps/bench/dist/main.js", import.meta.url));
if (!existsSync(entry)) {
  console.error(
    "bench: the benchmark is not built yet; run `pnpm build` (or `pnpm --filter @shoal/bench build`).",
  );
  process.exit(2);
}
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
await import(pathToFileURL(entry).href);
