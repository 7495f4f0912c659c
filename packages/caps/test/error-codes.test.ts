/**
 * The error codes are a contract (the CPU driver hands them to user space, the monitors send them
 * between cores): every code declared in src/errors.ts must be produced somewhere in the package's
 * code and asserted by some test, so that no code is dead and none is produced untested.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const pkg = fileURLToPath(new URL("..", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(join(pkg, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

const all = [...files("src"), ...files("test")];
const read = (f: string) => readFileSync(join(pkg, f), "utf8");
const isTest = (f: string) => f.endsWith(".test.ts");
const errors = read("src/errors.ts");
/** The members of the CapErrorCode union, in declaration order (one `| "CODE"` line each). */
const union = errors.slice(errors.indexOf("export type CapErrorCode ="));
const declared = [...union.slice(0, union.indexOf("\n\n")).matchAll(/^\s*\| "([A-Z_]+)"/gm)].map(
  (m) => m[1] as string,
);
const code = all.filter((f) => !isTest(f) && f !== join("src", "errors.ts") && f.startsWith("src"));
const tests = all.filter(isTest).filter((f) => !f.endsWith("error-codes.test.ts"));

describe("CapErrorCode", () => {
  test("the union is found and holds the codes the issue names", () => {
    expect(declared.length).toBeGreaterThanOrEqual(15);
    for (const c of ["CAP_NOT_FOUND", "CAP_TYPE", "CAP_RIGHTS", "RETYPE_OVERLAP", "REVOKE_FIRST"])
      expect(declared).toContain(c);
    for (const c of ["SLOT_OCCUPIED", "OUT_OF_RANGE"]) expect(declared).toContain(c);
  });
  test.each(declared)("%s is produced by the code and asserted by a test", (c) => {
    const literal = `"${c}"`;
    expect(
      code.filter((f) => read(f).includes(literal)),
      `no file under src/ produces ${c}`,
    ).not.toEqual([]);
    expect(
      tests.filter((f) => read(f).includes(c)),
      `no test mentions ${c}`,
    ).not.toEqual([]);
  });
});
