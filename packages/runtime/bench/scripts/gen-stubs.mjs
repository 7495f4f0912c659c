#!/usr/bin/env node
// Build step of the runtime bench (`build:bench`, after flounder's build: packages/runtime/turbo.json):
// generates bench/gen/bench.ts from interfaces/bench.if with the flounder CLI, before tsc compiles it.
// While the compiler is not built (or fails), the bench still builds: the stub transports then report
// "not available" at run time instead of the build breaking the baselines.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const out = here("../gen");
const idl = here("../../../../interfaces/bench.if");
const bin = here("../../../flounder/dist/bin.js");
const cli = here("../../../flounder/dist/cli.js");

function skip(why) {
  // Stale stubs from an older compiler would be worse than none.
  rmSync(out, { recursive: true, force: true });
  rmSync(here("../../dist/bench/gen"), { recursive: true, force: true });
  console.error(`bench build: stub transports disabled: ${why}`);
  process.exit(0);
}

let status;
if (existsSync(bin)) {
  status = spawnSync(process.execPath, [bin, "gen", "-o", out, idl], { stdio: "inherit" }).status;
} else if (existsSync(cli)) {
  const { main } = await import(new URL(`file://${cli}`).href);
  status = typeof main === "function" ? await main(["gen", "-o", out, idl]) : 1;
} else {
  skip("packages/flounder is not built (no dist/bin.js)");
}
if (status !== 0) skip(`flounder gen failed (exit ${status}) on interfaces/bench.if`);
console.error("bench build: generated bench/gen/bench.ts from interfaces/bench.if");
