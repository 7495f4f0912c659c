#!/usr/bin/env node
// Runs the skb suite on its own until apps/bench runs suites: `node bench/run.mjs [--quick] [--json FILE]`.
// Needs `pnpm --filter @shoal/skb build` first (it imports the built suite).
import { writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const j = args.indexOf("--json");
const jsonFile = j >= 0 ? args[j + 1] : undefined;
if (j >= 0 && (jsonFile === undefined || jsonFile.startsWith("--"))) {
  console.error("run.mjs: --json needs a file name");
  process.exit(2);
}
const { suite } = await import("../dist/bench/index.js");
const report = await suite.run({ quick, log: (line) => console.error(line) });
for (const t of report.tables) {
  const widths = t.columns.map((c, i) => Math.max(c.length, ...t.rows.map((r) => (r[i] ?? "").length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
  console.log(`\n${t.title}\n`);
  console.log(line(t.columns));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of t.rows) console.log(line(r));
  for (const n of t.notes ?? []) console.log(`  ${n}`);
}
if (jsonFile !== undefined) {
  writeFileSync(jsonFile, `${JSON.stringify({ suite: suite.name, quick, json: report.json }, null, 2)}\n`);
  console.error(`wrote ${jsonFile}`);
}
