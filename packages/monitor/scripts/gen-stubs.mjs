#!/usr/bin/env node
// Build step of @shoal/monitor: generates src/gen/intermon.ts from interfaces/intermon.if with the
// flounder CLI, before tsc compiles it. Unlike the bench, the monitor cannot run without its stubs: a
// failure here fails the build.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const out = here("../src/gen");
const idl = here("../../../interfaces/intermon.if");
const bin = here("../../../packages/flounder/dist/bin.js");

if (!existsSync(bin)) {
  console.error("monitor build: packages/flounder is not built (no dist/bin.js); build it first");
  process.exit(1);
}
const { status } = spawnSync(process.execPath, [bin, "gen", "-o", out, idl], { stdio: "inherit" });
if (status !== 0) {
  console.error(`monitor build: flounder gen failed (exit ${status}) on interfaces/intermon.if`);
  process.exit(1);
}
