#!/usr/bin/env node
// Rewrites test/golden/<set>/<interface>.ts from the built compiler (dist/), for the interface files
// listed in test/golden/sets.json: `interfaces` from the repository's interfaces/, `corpus` from the
// corpus in corpus/barrelfish/if, `fixtures` from test/fixtures/. Run `pnpm --dir packages/flounder run update-goldens` after a
// deliberate change to the generated code, and review the diff.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkFiles } from "@shoal/idl";
import { generate } from "../dist/index.js";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(pkg, "../..");
const dirs = {
  interfaces: join(repo, "interfaces"),
  corpus: resolve(repo, "corpus/barrelfish/if"),
  fixtures: join(pkg, "test/fixtures"),
};
const sets = JSON.parse(readFileSync(join(pkg, "test/golden/sets.json"), "utf8"));

let failed = false;
for (const [set, files] of Object.entries(sets)) {
  const out = join(pkg, "test/golden", set);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const result = await checkFiles(
    files.map((f) => join(dirs[set], f)),
    { includes: [], defaultIncludes: true },
  );
  for (const f of result.files) {
    if (!f.ok || f.result.model === undefined) {
      console.error(`update-goldens: ${f.file} does not check`);
      failed = true;
      continue;
    }
    const model = f.result.model;
    writeFileSync(join(out, `${model.name}.ts`), generate(model, { source: basename(f.file) }));
    console.log(`wrote test/golden/${set}/${model.name}.ts`);
  }
}
process.exitCode = failed ? 1 : 0;
