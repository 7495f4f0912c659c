/**
 * The Linux baseline: native/mprotect-bench.c, compiled with the system's `cc` into a temporary
 * directory at run time (no binary is committed), run for each thread count.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ShootdownError } from "../src/errors.js";

/** The C source (from bench/ in the sources, from dist/bench/ when built). */
export function mprotectSource(): string {
  for (const rel of ["../native/mprotect-bench.c", "../../native/mprotect-bench.c"]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new ShootdownError("NATIVE", "native/mprotect-bench.c is missing from the package");
}

/** One measurement: mprotect latency with `threads` threads touching the page (the caller included). */
export interface MprotectPoint {
  readonly threads: number;
  readonly medianNs: number;
  readonly p90Ns: number;
}

/** Builds the program and measures each thread count; NATIVE if there is no `cc` or a run fails. */
export function measureMprotect(threadCounts: readonly number[], iterations: number): MprotectPoint[] {
  const dir = mkdtempSync(join(tmpdir(), "shoal-mprotect-"));
  try {
    const exe = join(dir, "mprotect-bench");
    try {
      execFileSync("cc", ["-O2", "-pthread", "-o", exe, mprotectSource()], { stdio: "pipe" });
    } catch (e) {
      throw new ShootdownError("NATIVE", `cc could not build mprotect-bench: ${String(e)}`, { cause: e });
    }
    return threadCounts.map((threads) => {
      // The calling thread is one of the `threads`: it starts threads - 1 others.
      const out = execFileSync(exe, [String(threads - 1), String(iterations)], { encoding: "utf8" });
      const m = /median_ns=(\d+) p90_ns=(\d+)/.exec(out);
      if (m === null) throw new ShootdownError("NATIVE", `mprotect-bench printed ${JSON.stringify(out)}`);
      return { threads, medianNs: Number(m[1]), p90Ns: Number(m[2]) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
