/**
 * The shell of a booted system: one command a line, each answered with lines of text. Commands ask the
 * cores (through the machine's console lines and the monitors), never the machine's own state, except
 * for which cores are powered on.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isOsError } from "@shoal/libshoal";
import { type Machine, MachineError } from "@shoal/monitor";
import { parseCount, UsageError } from "../errors.js";

/** What one command printed, and whether the shell should stop (halt). */
export interface ShellResult {
  readonly lines: string[];
  readonly halt: boolean;
}

const HELP = [
  "cores                     the cores and whether they are up",
  "ps                        every domain: id, core, state, CPU time, turns, messages, overruns",
  "spawn [--core K] APP ARGS spawn a domain from a .js/.mjs/.ts module",
  "kill ID                   kill a domain",
  "mem                       RAM of each core: used and free",
  "ping CORE [COUNT]         monitor round trips from core 0 to CORE",
  "kill-core K               simulate the failure of core K",
  "caps ID                   a domain's CSpace: slot, type, base, size, rights",
  "skb QUERY                 ask the SKB domain (started on core 0 on first use); answers on the console",
  "halt                      stop every domain and power off",
];

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

/** Splits a command line into words (double quotes group). */
export function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? "");
}

/** Runs one shell command against `machine`. Errors become one line each, never a throw. */
export async function runCommand(machine: Machine, line: string, cwd = process.cwd()): Promise<ShellResult> {
  const [cmd, ...args] = words(line);
  const out = (lines: string[], halt = false): ShellResult => ({ lines, halt });
  try {
    switch (cmd) {
      case undefined:
        return out([]);
      case "help":
        return out(HELP);
      case "cores": {
        const live = new Set(machine.liveCores());
        return out(
          Array.from({ length: machine.cores }, (_, k) => `core ${k}: ${live.has(k) ? "up" : "down"}`),
        );
      }
      case "ps": {
        const rows = await machine.ps();
        return out(
          table([
            ["ID", "NAME", "CORE", "STATE", "CPU ms", "TURNS", "MSGS", "OVERRUNS", "EXIT"],
            ...rows.map((r) => [
              String(r.id),
              r.name,
              String(r.core),
              r.state,
              r.cpuMs.toFixed(1),
              String(r.turns),
              String(r.messages),
              String(r.overruns),
              r.exitCode === null ? "" : String(r.exitCode),
            ]),
          ]),
        );
      }
      case "spawn": {
        let core = 0;
        let rest = args;
        if (rest[0] === "--core") {
          core = parseCount(rest[1], "spawn --core");
          rest = rest.slice(2);
        }
        const [app, ...appArgs] = rest;
        if (app === undefined) throw new UsageError("spawn: which module? spawn [--core K] APP [ARGS]");
        const { id } = await machine.spawn(resolve(cwd, app), { core, args: appArgs });
        return out([`spawned ${id} on core ${core}`]);
      }
      case "kill": {
        const id = parseCount(args[0], "kill ID");
        return out([(await machine.kill(id)) ? `killed ${id}` : `no running domain ${id}`]);
      }
      case "mem": {
        const rows = await machine.mem();
        const mib = (n: number) => (n / 2 ** 20).toFixed(1);
        return out(
          table([
            ["CORE", "RAM MiB", "USED MiB", "FREE MiB", "USED BY TYPE (KiB)"],
            ...rows.map((r) => [
              String(r.core),
              mib(r.bytes),
              mib(r.used),
              mib(r.bytes - r.used),
              Object.entries(r.byType)
                .map(([t, n]) => `${t} ${n / 1024}`)
                .join(", "),
            ]),
          ]),
        );
      }
      case "ping": {
        const core = parseCount(args[0], "ping CORE");
        const count = args[1] === undefined ? 100 : parseCount(args[1], "ping COUNT", 1);
        const r = await machine.ping(core, 0, count);
        return out([
          `core 0 -> core ${core}: ${r.count} round trips, median ${r.medianUs.toFixed(1)} us, min ${r.minUs.toFixed(1)} us`,
        ]);
      }
      case "kill-core": {
        const core = parseCount(args[0], "kill-core K");
        await machine.killCore(core);
        return out([`core ${core} killed`]);
      }
      case "caps": {
        const id = parseCount(args[0], "caps ID");
        const rows = await machine.caps(id);
        return out(
          table([
            ["SLOT", "TYPE", "BASE", "SIZE", "RIGHTS"],
            ...rows.map((r) => [
              r.slot,
              r.type,
              `0x${r.base.toString(16)}`,
              String(r.size),
              rightsString(r.rights),
            ]),
          ]),
        );
      }
      case "skb": {
        // A client domain asks the skb service and logs the answers (see @shoal/skb/domain/ask).
        if (args.length === 0) throw new UsageError("skb QUERY: which query? e.g. skb cores(Cs)");
        const ask = fileURLToPath(import.meta.resolve("@shoal/skb/domain/ask"));
        const { exited } = await machine.spawn(ask, { core: 0, args: [args.join(" ")] });
        const code = await exited;
        return out(
          code === 1 ? ["false"] : code === 2 ? ["skb: the query failed (the reason is above)"] : [],
        );
      }
      case "halt":
        await machine.halt();
        return out(["halted"], true);
      default:
        return out([`unknown command '${cmd}' (try help)`]);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof MachineError || isOsError(e))
      return out([`${cmd}: ${e.message}`]);
    return out([`${cmd}: ${e instanceof Error ? e.message : String(e)}`]);
  }
}

/** Rights as Barrelfish prints them: r w x g i, a dash for each missing one. */
function rightsString(r: number): string {
  return ["r", "w", "x", "g", "i"].map((c, i) => ((r >> i) & 1 ? c : "-")).join("");
}
