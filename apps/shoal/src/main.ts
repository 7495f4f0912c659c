#!/usr/bin/env node
/**
 * The `shoal` command: `shoal boot ...` boots the multikernel (see commands/boot.ts). Usage errors are
 * one line and exit code 2; a failure of the system is one line and exit code 1.
 */
import { MachineError } from "@shoal/monitor";
import { BOOT_USAGE, boot, type Io } from "./commands/boot.js";
import { UsageError } from "./errors.js";

const USAGE = `usage: shoal COMMAND [ARGS]

commands:
  boot   boot the multikernel and run an app, commands, or a shell
         ${BOOT_USAGE.replace("usage: ", "")}
  skb    ask the system knowledge base (offline: this machine's facts or --board NAME)
         usage: shoal skb [--board NAME | --cores N | --boot N] [--json] QUERY | facts | boards
  help   this text`;

/** Runs the command line `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case "boot":
        return await boot(rest, io);
      case "skb": {
        // Imported on demand: the Prolog engine is not part of booting.
        const { skb } = await import("./commands/skb.js");
        return await skb(rest, io);
      }
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${cmd}'\n${USAGE}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`shoal: ${e.message}`);
      return 2;
    }
    if (e instanceof MachineError) {
      io.err(`shoal: ${e.code}: ${e.message}`);
      return 1;
    }
    io.err(`shoal: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

/** The process's own streams as an Io (paths resolve where the command was typed: INIT_CWD under pnpm). */
export function processIo(): Io {
  return {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    cwd: process.env.INIT_CWD ?? process.cwd(),
    stdin: process.stdin,
    interactive: process.stdin.isTTY === true,
  };
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2), processIo());
