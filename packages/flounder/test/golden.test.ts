/**
 * Golden files: the generated stubs of the project's interfaces and of several corpus interfaces are
 * checked in under test/golden/ and must be reproduced byte for byte. After a deliberate change run
 * `pnpm --dir packages/flounder run update-goldens` and review the diff.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../src/generate.js";
import { CORPUS_DIR, INTERFACES_DIR, loadModels, PACKAGE_DIR } from "./support/corpus.js";

type GoldenSet = "interfaces" | "corpus" | "fixtures";
const sets = JSON.parse(readFileSync(join(PACKAGE_DIR, "test/golden/sets.json"), "utf8")) as Record<
  GoldenSet,
  string[]
>;
const dirs = { interfaces: INTERFACES_DIR, corpus: CORPUS_DIR, fixtures: join(PACKAGE_DIR, "test/fixtures") };

describe.each(Object.entries(sets) as [GoldenSet, string[]][])("golden stubs of %s", (set, files) => {
  it.each(files)("%s is reproduced exactly", async (file) => {
    const [model] = await loadModels([join(dirs[set], file)]);
    if (model === undefined) throw new Error(`${file}: no model`);
    const golden = readFileSync(join(PACKAGE_DIR, "test/golden", set, `${model.name}.ts`), "utf8");
    const fresh = generate(model, { source: basename(file) });
    // Compare line by line first so a failure names the first differing line, not a 3,000-line blob.
    const a = fresh.split("\n");
    const b = golden.split("\n");
    const first = a.findIndex((line, i) => line !== b[i]);
    expect(
      first === -1 ? undefined : { line: first + 1, generated: a[first], golden: b[first] },
    ).toBeUndefined();
    expect(fresh).toBe(golden);
  });
});
