/**
 * Every interface of the corpus (and the project's own, and the kitchen-sink and caps-in-structs fixtures) generates
 * stubs that compile under `tsc --strict` with the repository's settings — one program over all of
 * them — together with the type-level test of the stub API.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import {
  CORPUS_DIR,
  INTERFACES_DIR,
  interfaceFiles,
  loadModels,
  PACKAGE_DIR,
  scratchDir,
  writeStubs,
} from "./support/corpus.js";
import { typecheck } from "./support/typecheck.js";

it("generated stubs of every corpus interface compile under tsc --strict", async () => {
  const corpus = await loadModels(interfaceFiles(CORPUS_DIR));
  expect(corpus.length).toBeGreaterThan(60);
  const own = await loadModels([
    ...interfaceFiles(INTERFACES_DIR),
    join(PACKAGE_DIR, "test/fixtures/kitchen_sink.if"),
    join(PACKAGE_DIR, "test/fixtures/caps_in_structs.if"),
  ]);
  const files = [
    ...writeStubs(corpus, scratchDir("typecheck/corpus")).values(),
    ...writeStubs(own, scratchDir("typecheck/own")).values(),
    join(PACKAGE_DIR, "test/types/ping-pong-api.ts"),
  ];
  expect(typecheck(files)).toEqual([]);
}, 120_000);
