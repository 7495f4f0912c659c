#!/usr/bin/env node
// Writes boards/<name>.pl for the paper's four machines from their specs (src/boards/paper.ts).
// Run after `pnpm build` (it imports the built package): pnpm --filter @shoal/skb make-boards
import { writeFileSync } from "node:fs";
import { boardFileText, PAPER_BOARDS } from "../dist/src/index.js";

for (const spec of PAPER_BOARDS) {
  const path = new URL(`../boards/${spec.name}.pl`, import.meta.url);
  writeFileSync(path, boardFileText(spec));
  console.log(`wrote boards/${spec.name}.pl`);
}
