/**
 * `pnpm bench`: parses the command line, runs the benchmark, and turns every failure into one line on
 * stderr and a non-zero exit code (2 for bad arguments, 1 for a failed run), never a hang.
 */
import { parseArgs, USAGE } from "./args.js";
import { runBench } from "./bench.js";
import { describeError, isBenchError } from "./errors.js";

async function main(argv: readonly string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${describeError(e)}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    await runBench(args, (text) => process.stdout.write(text));
    return 0;
  } catch (e) {
    const code = isBenchError(e) ? `${e.code}: ` : "";
    process.stderr.write(`\nbench failed: ${code}${describeError(e)}\n`);
    if (!isBenchError(e) && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
// Exit explicitly: a worker a failed suite could not terminate must not keep the process alive.
process.exit(code);
