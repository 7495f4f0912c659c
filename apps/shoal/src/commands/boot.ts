/**
 * `shoal boot --cores N [--memory SIZE] [--run APP [ARGS...]] [--exec "CMD; CMD"]`: boots N cores,
 * prints a line per boot stage, then runs APP (the exit code is APP's; the system halts after it), or
 * the commands, or a shell (interactive on a terminal, else one command per line of standard input).
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { Machine } from "@shoal/monitor";
import { parseCount, parseSize, UsageError } from "../errors.js";
import { runCommand } from "../shell/shell.js";

/** Where boot writes. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  readonly cwd: string;
  readonly stdin: NodeJS.ReadableStream;
  readonly interactive: boolean;
}

/** The parsed options of `shoal boot`. */
export interface BootArgs {
  readonly cores: number;
  readonly memoryBytes: number | undefined;
  readonly run: { readonly app: string; readonly args: string[] } | undefined;
  readonly exec: string[] | undefined;
  readonly quiet: boolean;
}

export const BOOT_USAGE =
  'usage: shoal boot [--cores N] [--memory SIZE] [--quiet] [--run APP [ARGS...] | --exec "CMD; CMD"]';

/** Parses the arguments after `boot`. */
export function parseBootArgs(argv: readonly string[]): BootArgs {
  let cores = availableParallelism();
  let memoryBytes: number | undefined;
  let run: BootArgs["run"];
  let exec: string[] | undefined;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--cores") cores = parseCount(argv[++i], "--cores", 1);
    else if (a === "--memory") memoryBytes = parseSize(argv[++i] ?? "", "--memory");
    else if (a === "--quiet") quiet = true;
    else if (a === "--exec") {
      const text = argv[++i];
      if (text === undefined) throw new UsageError('--exec: which commands? --exec "ps; halt"');
      exec = text
        .split(";")
        .map((c) => c.trim())
        .filter((c) => c !== "");
    } else if (a === "--run") {
      const app = argv[i + 1];
      if (app === undefined) throw new UsageError("--run: which app? --run APP [ARGS...]");
      run = { app, args: argv.slice(i + 2) as string[] };
      break;
    } else throw new UsageError(`unknown option '${a}'\n${BOOT_USAGE}`);
  }
  if (run !== undefined && exec !== undefined) throw new UsageError("--run and --exec do not go together");
  return { cores, memoryBytes, run, exec, quiet };
}

/** Runs `shoal boot`; resolves with the process exit code. */
export async function boot(argv: readonly string[], io: Io): Promise<number> {
  const a = parseBootArgs(argv);
  let app: string | undefined;
  if (a.run !== undefined) {
    app = resolve(io.cwd, a.run.app);
    if (!existsSync(app)) throw new UsageError(`--run: no such file: ${a.run.app}`);
  }
  const machine = await Machine.boot({
    cores: a.cores,
    ...(a.memoryBytes === undefined ? {} : { memoryBytes: a.memoryBytes }),
    onStage: (line) => {
      if (!a.quiet) io.err(`boot: ${line}`);
    },
    console: (line) => io.out(line),
  });
  try {
    if (app !== undefined && a.run !== undefined) {
      const { exited } = await machine.spawn(app, { core: 0, args: a.run.args });
      return await exited;
    }
    if (a.exec === undefined && io.interactive) {
      await interactiveShell(machine, io);
      return 0;
    }
    const lines = a.exec ?? (await readCommands(io));
    for (const line of lines) {
      const r = await runCommand(machine, line, io.cwd);
      for (const l of r.lines) io.out(l);
      if (r.halt) return 0;
    }
    return 0;
  } finally {
    await machine.halt();
  }
}

/** Commands from standard input (not a terminal), one per line until the end. */
async function readCommands(io: Io): Promise<string[]> {
  const rl = createInterface({ input: io.stdin });
  const lines: string[] = [];
  for await (const line of rl) lines.push(line);
  return lines;
}

/** The interactive shell on a terminal (prompt, history), until `halt` or end of input. */
export async function interactiveShell(machine: Machine, io: Io): Promise<void> {
  const rl = createInterface({ input: io.stdin, output: process.stdout, prompt: "shoal> " });
  rl.prompt();
  for await (const line of rl) {
    const r = await runCommand(machine, line, io.cwd);
    for (const l of r.lines) io.out(l);
    if (r.halt) break;
    rl.prompt();
  }
  rl.close();
}
