#!/usr/bin/env node
// Build step of @shoal/libshoal: generates the stubs of the system's own interfaces (interfaces/*.if
// that domains use) into src/interfaces/, exported as @shoal/libshoal/interfaces/<name>.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const out = here("../src/interfaces");
const bin = here("../../../packages/flounder/dist/bin.js");
const files = [
  "ping_pong.if",
  "skb.if",
  "test_rpc_cap.if",
  "test_cap_struct.if",
  "net_frames.if",
  "net_sql.if",
].map((f) => here(`../../../interfaces/${f}`));

if (!existsSync(bin)) {
  console.error("libshoal build: packages/flounder is not built (no dist/bin.js); build it first");
  process.exit(1);
}
const { status } = spawnSync(process.execPath, [bin, "gen", "-o", out, ...files], { stdio: "inherit" });
if (status !== 0) {
  console.error(`libshoal build: flounder gen failed (exit ${status})`);
  process.exit(1);
}
