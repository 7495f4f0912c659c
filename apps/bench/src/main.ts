/**
 * `pnpm bench [SUITE]`: parses the command line, runs the suite, and turns every failure into one line
 * on stderr and a non-zero exit code (2 for bad arguments or an unknown suite, 1 for a failed run), never
 * a hang.
 */
import { parseArgs, USAGE } from "./args.js";
import { describeError, errorCode, isBenchError } from "./errors.js";
import { runBench } from "./run-suite.js";

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
    if (isBenchError(e, "BAD_ARGS") || isBenchError(e, "UNKNOWN_SUITE")) {
      process.stderr.write(`bench: ${e.message}\n`);
      return 2;
    }
    const code = errorCode(e);
    process.stderr.write(`\nbench failed: ${code === null ? "" : `${code}: `}${describeError(e)}\n`);
    // A stack only for what is no error of the runner's (a bug, not a failed suite).
    if (!isBenchError(e) && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
// Exit explicitly: a worker a failed suite could not terminate must not keep the process alive.
process.exit(code);
