/** The built command line (`pnpm bench` runs dist/main.js): exit codes and the one-line messages. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

function bench(...argv: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...argv], { encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("pnpm bench", () => {
  it("prints the usage with every known suite for --help", () => {
    const r = bench("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: pnpm bench \[SUITE\] \[options\]/);
    for (const name of ["runtime", "caps", "skb", "net", "threads"])
      expect(r.stdout).toContain(`\n  ${name} `);
  });

  it("exits with 2 and one line for an unknown suite, listing the known ones, before running anything", () => {
    const r = bench("transports", "--quick");
    expect(r).toEqual({
      status: 2,
      stdout: "",
      stderr:
        'bench: unknown suite "transports" (known: runtime, caps, skb, net, kernel, shootdown, threads)\n',
    });
  });

  it("exits with 2 and one line for a malformed option", () => {
    expect(bench("--json")).toEqual({ status: 2, stdout: "", stderr: "bench: --json needs a value\n" });
  });

  it("exits with 2 for --only naming no transport of the runtime suite, before running anything", () => {
    const r = bench("--only", "urpc,carrier-pigeon");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^bench: --only: unknown transport "carrier-pigeon" \(known: urpc, lrpc, port/m);
  });
});
