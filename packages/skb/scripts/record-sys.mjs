#!/usr/bin/env node
// Records the /sys and /proc files discovery reads into a fixture tree (memory block entries become
// empty files): node scripts/record-sys.mjs test/fixtures/sys/NAME [ROOT]
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const [out, root = "/"] = process.argv.slice(2);
if (!out) {
  console.error("usage: record-sys.mjs OUT_DIR [ROOT]");
  process.exit(2);
}
const copy = (rel) => {
  const from = join(root, rel);
  if (!existsSync(from)) return;
  const to = join(out, rel);
  mkdirSync(dirname(to), { recursive: true });
  // Not copyFileSync: the kernel's copy paths hang on /proc and /sys files.
  writeFileSync(to, readFileSync(from));
};
const list = (rel) => (existsSync(join(root, rel)) ? readdirSync(join(root, rel)) : []);
const CPU = "sys/devices/system/cpu";
const NODE = "sys/devices/system/node";
copy("proc/cpuinfo");
copy(`${CPU}/online`);
for (const cpu of list(CPU).filter((n) => /^cpu\d+$/.test(n))) {
  for (const f of ["physical_package_id", "core_id", "thread_siblings_list"])
    copy(`${CPU}/${cpu}/topology/${f}`);
  for (const index of list(`${CPU}/${cpu}/cache`).filter((n) => /^index\d+$/.test(n))) {
    for (const f of ["level", "type", "size", "shared_cpu_list"]) copy(`${CPU}/${cpu}/cache/${index}/${f}`);
  }
}
copy(`${NODE}/online`);
copy("sys/devices/system/memory/block_size_bytes");
for (const node of list(NODE).filter((n) => /^node\d+$/.test(n))) {
  for (const f of ["cpulist", "meminfo", "distance"]) copy(`${NODE}/${node}/${f}`);
  for (const m of list(`${NODE}/${node}`).filter((n) => /^memory\d+$/.test(n))) {
    writeFileSync(join(out, NODE, node, m), "");
  }
}
console.log(`recorded ${root} into ${out}`);
