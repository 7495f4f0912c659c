/**
 * What the end-to-end benchmarks on booted cores share: boot a machine whose monitors agree over
 * `routes` (their protocol and trees, e.g. from `routesFromSkb`), spawn one built benchmark domain on
 * core 0, wait for it within a deadline, read the JSON report it printed after its prefix, halt.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RouteTable } from "@shoal/agreement";
import { Machine } from "@shoal/monitor";
import { ShootdownError } from "../errors.js";

/** Options of a benchmark run on booted cores. */
export interface DomainBenchOptions {
  readonly ops?: number;
  readonly warmup?: number;
  /** The whole run's deadline (TIMEOUT after it). */
  readonly timeoutMs?: number;
}

/** The built module of benchmark domain `name` (`<name>-domain.js`: cores load built JavaScript). */
export function benchDomainPath(name: string): string {
  const p = import.meta.url.endsWith(".ts")
    ? new URL(`../../dist/src/vspace/${name}-domain.js`, import.meta.url)
    : new URL(`./${name}-domain.js`, import.meta.url);
  const path = fileURLToPath(p);
  if (!existsSync(path))
    throw new ShootdownError(
      "BAD_ARGUMENT",
      `the ${name} domain is not built (${path}): run the build first`,
    );
  return path;
}

/**
 * Boots `routes.cores.length` cores (routes over cores 0..N-1), runs domain `name` with the options'
 * ops and warm-up, and returns the report it printed after `prefix`, with the boot's time.
 */
export async function runBenchDomain<R>(
  name: string,
  prefix: string,
  routes: RouteTable,
  options: DomainBenchOptions,
): Promise<R & { readonly bootMs: number }> {
  const n = routes.cores.length;
  if (routes.cores.some((c, i) => c !== i))
    throw new ShootdownError("BAD_ARGUMENT", `the ${name} benchmark needs routes over cores 0..N-1`);
  const path = benchDomainPath(name);
  const lines: string[] = [];
  const m = await Machine.boot({
    cores: n,
    memoryBytes: 64 * 2 ** 20,
    console: (l) => lines.push(l),
    shootdown: { protocol: routes.protocol, trees: routes.cores.map((c) => routes.tree(c)) },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const { exited } = await m.spawn(path, {
      core: 0,
      args: [String(options.ops ?? 50), String(options.warmup ?? 5)],
    });
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ShootdownError("TIMEOUT", `the ${name} benchmark did not finish in time`)),
        options.timeoutMs ?? 60_000,
      );
    });
    await Promise.race([exited, deadline]);
    const line = lines.find((l) => l.includes(prefix));
    if (line === undefined)
      throw new ShootdownError(
        "BAD_MESSAGE",
        `the ${name} domain reported nothing: ${lines.slice(-5).join(" | ")}`,
      );
    const report = JSON.parse(line.slice(line.indexOf(prefix) + prefix.length)) as R;
    return { ...report, bootMs: m.bootMs.total };
  } finally {
    clearTimeout(timer);
    await m.halt();
  }
}
