/**
 * End-to-end retype with remote relations on booted cores: boots a machine whose monitors agree over
 * `routes` (their protocol and trees, e.g. from `routesFromSkb`), runs the retype domain (a Frame
 * shared with a holder on every core, retyped page by page from core 0, each a two-phase commit
 * between the monitors) and returns its timings, measured in the domain around `caps.retype`.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RouteTable } from "@shoal/agreement";
import { Machine } from "@shoal/monitor";
import { ShootdownError } from "../errors.js";
import { RETYPE_PREFIX, type RetypeReport } from "./retype-domain.js";

/** Options of {@link runRetypeBench}. */
export interface RetypeBenchOptions {
  readonly ops?: number;
  readonly warmup?: number;
  /** The whole run's deadline (TIMEOUT after it). */
  readonly timeoutMs?: number;
}

/** The built retype domain (cores load built JavaScript). */
export function retypeDomainPath(): string {
  const p = import.meta.url.endsWith(".ts")
    ? new URL("../../dist/src/vspace/retype-domain.js", import.meta.url)
    : new URL("./retype-domain.js", import.meta.url);
  const path = fileURLToPath(p);
  if (!existsSync(path))
    throw new ShootdownError("BAD_ARGUMENT", `the retype domain is not built (${path}): run the build first`);
  return path;
}

/** Boots `routes.cores.length` cores (routes over cores 0..N-1), runs the retype domain, halts. */
export async function runRetypeBench(
  routes: RouteTable,
  options: RetypeBenchOptions = {},
): Promise<RetypeReport> {
  const n = routes.cores.length;
  if (routes.cores.some((c, i) => c !== i))
    throw new ShootdownError("BAD_ARGUMENT", "runRetypeBench needs routes over cores 0..N-1");
  const lines: string[] = [];
  const m = await Machine.boot({
    cores: n,
    memoryBytes: 64 * 2 ** 20,
    console: (l) => lines.push(l),
    shootdown: { protocol: routes.protocol, trees: routes.cores.map((c) => routes.tree(c)) },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const { exited } = await m.spawn(retypeDomainPath(), {
      core: 0,
      args: [String(options.ops ?? 50), String(options.warmup ?? 5)],
    });
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ShootdownError("TIMEOUT", "the retype benchmark did not finish in time")),
        options.timeoutMs ?? 60_000,
      );
    });
    await Promise.race([exited, deadline]);
    const line = lines.find((l) => l.includes(RETYPE_PREFIX));
    if (line === undefined)
      throw new ShootdownError(
        "BAD_MESSAGE",
        `the retype domain reported nothing: ${lines.slice(-5).join(" | ")}`,
      );
    return JSON.parse(line.slice(line.indexOf(RETYPE_PREFIX) + RETYPE_PREFIX.length)) as RetypeReport;
  } finally {
    clearTimeout(timer);
    await m.halt();
  }
}
