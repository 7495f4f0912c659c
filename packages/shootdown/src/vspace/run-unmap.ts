/**
 * End-to-end unmap and protect on booted cores: boots a machine whose monitors shoot down with
 * `routes` (their protocol and trees, e.g. from `routesFromSkb`), runs the unmap domain (a home on
 * core 0 and a dispatcher of the same domain on every other core) and returns its timings, measured
 * in the domain from libshoal's `vspace.unmap` / `vspace.protect` call to its return.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RouteTable } from "@shoal/agreement";
import { Machine } from "@shoal/monitor";
import { ShootdownError } from "../errors.js";
import { UNMAP_PREFIX, type UnmapReport } from "./unmap-domain.js";

/** Options of {@link runUnmapBench}. */
export interface UnmapBenchOptions {
  readonly ops?: number;
  readonly warmup?: number;
  /** The whole run's deadline (TIMEOUT after it). */
  readonly timeoutMs?: number;
}

/** What a run measured. */
export interface UnmapBenchResult extends UnmapReport {
  readonly bootMs: number;
}

/** The built unmap domain (cores load built JavaScript). */
export function unmapDomainPath(): string {
  const p = import.meta.url.endsWith(".ts")
    ? new URL("../../dist/src/vspace/unmap-domain.js", import.meta.url)
    : new URL("./unmap-domain.js", import.meta.url);
  const path = fileURLToPath(p);
  if (!existsSync(path))
    throw new ShootdownError("BAD_ARGUMENT", `the unmap domain is not built (${path}): run the build first`);
  return path;
}

/** Boots `routes.cores.length` cores (routes over cores 0..N-1), runs the unmap domain, halts. */
export async function runUnmapBench(
  routes: RouteTable,
  options: UnmapBenchOptions = {},
): Promise<UnmapBenchResult> {
  const n = routes.cores.length;
  if (routes.cores.some((c, i) => c !== i))
    throw new ShootdownError("BAD_ARGUMENT", "runUnmapBench needs routes over cores 0..N-1");
  const lines: string[] = [];
  const m = await Machine.boot({
    cores: n,
    memoryBytes: 64 * 2 ** 20,
    console: (l) => lines.push(l),
    shootdown: { protocol: routes.protocol, trees: routes.cores.map((c) => routes.tree(c)) },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const { exited } = await m.spawn(unmapDomainPath(), {
      core: 0,
      args: [String(options.ops ?? 50), String(options.warmup ?? 5)],
    });
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ShootdownError("TIMEOUT", "the unmap benchmark did not finish in time")),
        options.timeoutMs ?? 60_000,
      );
    });
    await Promise.race([exited, deadline]);
    const line = lines.find((l) => l.includes(UNMAP_PREFIX));
    if (line === undefined)
      throw new ShootdownError(
        "BAD_MESSAGE",
        `the unmap domain reported nothing: ${lines.slice(-5).join(" | ")}`,
      );
    const report = JSON.parse(line.slice(line.indexOf(UNMAP_PREFIX) + UNMAP_PREFIX.length)) as UnmapReport;
    return { ...report, bootMs: m.bootMs.total };
  } finally {
    clearTimeout(timer);
    await m.halt();
  }
}
