/**
 * `shoal boot --cores N [--memory SIZE] [--no-skb | --board NAME] [--run APP [ARGS...]] [--exec "CMD; CMD"]`:
 * boots N cores with the SKB on core 0 (on this machine's facts, or a board's restricted to the booted
 * cores; every monitor gets its multicast routes from it), prints a line per boot stage, then runs APP
 * (the exit code is APP's; the system halts after it), or the commands, or a shell (interactive on a
 * terminal, else one command per line of standard input).
 */
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Machine, type SkbBootOptions } from "@shoal/monitor";
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
  /** Boot the SKB (default true; `--no-skb`). */
  readonly skb: boolean;
  /** The board the SKB describes (`--board NAME`), else this machine's discovered facts. */
  readonly board: string | undefined;
}

export const BOOT_USAGE =
  'usage: shoal boot [--cores N] [--memory SIZE] [--quiet] [--no-skb | --board NAME] [--run APP [ARGS...] | --exec "CMD; CMD"]';

/** Parses the arguments after `boot`. */
export function parseBootArgs(argv: readonly string[]): BootArgs {
  let cores = availableParallelism();
  let memoryBytes: number | undefined;
  let run: BootArgs["run"];
  let exec: string[] | undefined;
  let quiet = false;
  let skb = true;
  let board: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--cores") cores = parseCount(argv[++i], "--cores", 1);
    else if (a === "--memory") memoryBytes = parseSize(argv[++i] ?? "", "--memory");
    else if (a === "--quiet") quiet = true;
    else if (a === "--no-skb") skb = false;
    else if (a === "--board") {
      board = argv[++i];
      const names = skbBoards();
      if (board === undefined || !names.includes(board))
        throw new UsageError(`--board: which board? (${names.join(", ")})`);
    } else if (a === "--exec") {
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
  if (!skb && board !== undefined)
    throw new UsageError("--board describes the SKB's machine: not with --no-skb");
  return { cores, memoryBytes, run, exec, quiet, skb, board };
}

/** The skb domain's module (named, not imported: the Prolog engine loads in core 0, not here). */
function skbDomain(): string {
  return fileURLToPath(import.meta.resolve("@shoal/skb/domain"));
}

/** The boards @shoal/skb ships (boards/*.pl beside its domain). */
function skbBoards(): string[] {
  const dir = fileURLToPath(new URL("../boards/", `file://${skbDomain()}`));
  return readdirSync(dir)
    .filter((f) => f.endsWith(".pl"))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** How the machine boots the SKB for these arguments. */
export function skbBootOptions(a: BootArgs): SkbBootOptions | undefined {
  if (!a.skb) return undefined;
  const domain = skbDomain();
  // swipl-wasm's binary, resolved from @shoal/skb (its dependency): compiled once by the machine.
  const wasm = createRequire(domain).resolve("swipl-wasm/dist/swipl/swipl-web.wasm");
  return { domain, wasm, ...(a.board === undefined ? {} : { args: ["--board", a.board] }) };
}

/** Runs `shoal boot`; resolves with the process exit code. */
export async function boot(argv: readonly string[], io: Io): Promise<number> {
  const a = parseBootArgs(argv);
  let app: string | undefined;
  if (a.run !== undefined) {
    app = resolve(io.cwd, a.run.app);
    if (!existsSync(app)) throw new UsageError(`--run: no such file: ${a.run.app}`);
  }
  const skb = skbBootOptions(a);
  const machine = await Machine.boot({
    cores: a.cores,
    ...(skb === undefined ? {} : { skb }),
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
