#!/usr/bin/env node
// `pnpm shoal <args>` from anywhere in the checkout: runs the built shoal command (apps/shoal). pnpm
// runs root scripts in the root, so paths (an app to --run) resolve against the directory the command
// was typed in (INIT_CWD), which the command reads.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const cli = fileURLToPath(new URL("../apps/shoal/dist/main.js", import.meta.url));
if (!existsSync(cli)) {
  console.error("shoal: the command is not built yet; run `pnpm build` (pnpm install builds it too).");
  process.exit(2);
}
const { main, processIo } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2), processIo());
