#!/usr/bin/env node
// `pnpm flounder <args>` from anywhere in the checkout: pnpm runs root scripts in the root, so go back
// to the directory the user typed the command in before resolving any path argument.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const cli = fileURLToPath(new URL("../packages/flounder/dist/cli.js", import.meta.url));
if (!existsSync(cli)) {
  console.error("flounder: the compiler is not built yet; run `pnpm build` (pnpm install builds it too).");
  process.exit(2);
}
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
