import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../src/", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

describe("portability", () => {
  it("has no static Node import in the package, so check() and parse() load without a file system", () => {
    const offenders = sources(src).filter((f) => /^import [^;]*from "node:/m.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});
