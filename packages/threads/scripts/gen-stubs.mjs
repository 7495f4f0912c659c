#!/usr/bin/env node
// Build step of @shoal/threads: generates src/gen/<name>.ts from each interfaces/<name>.if with the
// flounder CLI (as @shoal/monitor does for intermon), before tsc compiles it. The booted-core domains
// cannot talk without their stubs: a failure here fails the build.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const out = here("../src/gen");
const idls = ["bomp", "thread_sched"];
const bin = here("../../../packages/flounder/dist/bin.js");

if (!existsSync(bin)) {
  console.error("threads build: packages/flounder is not built (no dist/bin.js); build it first");
  process.exit(1);
}
for (const name of idls) {
  const idl = here(`../interfaces/${name}.if`);
  const { status } = spawnSync(process.execPath, [bin, "gen", "-o", out, idl], { stdio: "inherit" });
  if (status !== 0) {
    console.error(`threads build: flounder gen failed (exit ${status}) on interfaces/${name}.if`);
    process.exit(1);
  }
}
