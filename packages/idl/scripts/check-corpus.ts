/**
 * `node .tmp/scripts/scripts/check-corpus.js`: runs `flounder check` on every corpus interface in one
 * process, as the CLI would. Used by the benchmark to time a cold start when the `flounder` binary is
 * not built, and handy on its own.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { checkCommand } from "../src/index.js";
import { corpusDir } from "../test/corpus-dir.js";

const dir = corpusDir();
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".if") && f !== "types.if")
  .map((f) => join(dir, f));
const quiet = process.argv.includes("--quiet");
process.exitCode = await checkCommand(files, {
  out: (t) => {
    if (!quiet) process.stdout.write(t);
  },
  err: (t) => process.stderr.write(t),
});
