/**
 * The `flounder` command: `check` and `ast` (from @shoal/idl), `gen` and `layout`. `main` never throws
 * on user input; it returns the exit status (0 ok, 1 errors in the input, 2 usage or I/O error).
 *
 * @packageDocumentation
 */
import { astCommand, type CliIO, checkCommand } from "@shoal/idl";
import { GEN_USAGE, genCommand } from "./cli/gen-command.js";
import { LAYOUT_USAGE, layoutCommand } from "./cli/layout-command.js";
import { VERSION } from "./version.js";

export type { CliIO } from "@shoal/idl";

/** The top-level usage text. */
export const USAGE = `usage: flounder <command> [options] FILE...
commands:
  check    check interface files and print diagnostics
  ast      print the checked model of an interface
  gen      generate TypeScript stubs: flounder gen [-i FILE]... -o DIR FILE...
  layout   print the URPC wire layout of every message (--json for tools)
options:
  -h, --help       this text (or \`flounder <command> --help\`)
  -V, --version    the compiler's version
`;

const stdio: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Runs the command line `argv` (without the node and script paths) and returns the exit status. */
export async function main(argv: readonly string[], io: CliIO = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        io.err(USAGE);
        return 2;
      case "-h":
      case "--help":
      case "help":
        io.out(USAGE);
        return 0;
      case "-V":
      case "--version":
        io.out(`flounder ${VERSION}\n`);
        return 0;
      case "check":
        return await checkCommand(rest, io);
      case "ast":
        return await astCommand(rest, io);
      case "gen":
        return await genCommand(rest, io);
      case "layout":
        return await layoutCommand(rest, io);
      default:
        io.err(`flounder: unknown command '${command}'\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    // A bug, not user error: one line, no stack trace, a distinct status.
    io.err(`flounder: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 3;
  }
}

export { GEN_USAGE, LAYOUT_USAGE };
