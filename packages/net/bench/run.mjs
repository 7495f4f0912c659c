#!/usr/bin/env node
// Run the @shoal/net suite on its own (until apps/bench runs suites): node bench/run.mjs [--quick] [--json FILE]
// Needs `pnpm build` first (imports the built suite).
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";

const { suite } = await import("../dist/bench/index.js");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const jsonAt = args.indexOf("--json");
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;

const report = await suite.run({ quick, log: (line) => console.error(line) });
for (const t of report.tables) {
  const widths = t.columns.map((c, i) => Math.max(c.length, ...t.rows.map((r) => (r[i] ?? "").length)));
  const line = (cells) => `| ${cells.map((c, i) => (c ?? "").padEnd(widths[i])).join(" | ")} |`;
  console.log(`\n${t.title}\n`);
  console.log(line(t.columns));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of t.rows) console.log(line(r));
  for (const n of t.notes ?? []) console.log(`  ${n}`);
}
console.log(
  `\nload average at the end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
if (jsonFile !== undefined) {
  writeFileSync(jsonFile, `${JSON.stringify(report.json, null, 2)}\n`);
  console.log(`json written to ${jsonFile}`);
}
