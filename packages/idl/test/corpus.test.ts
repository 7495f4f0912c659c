import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check, type InterfaceModel } from "../src/index.js";
import { CORPUS_DIR } from "./helpers.js";

const interfaces = readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith(".if") && f !== "types.if")
  .sort();
const includeFiles = [
  "types.if",
  ...["arch", "platform"].flatMap((d) => readdirSync(join(CORPUS_DIR, d)).map((f) => `${d}/${f}`)),
];

function read(file: string): string {
  return readFileSync(join(CORPUS_DIR, file), "utf8");
}

describe("the Barrelfish corpus", () => {
  it("has its 64 interfaces", () => {
    expect(interfaces).toHaveLength(64);
  });

  it.each(interfaces)("%s checks without errors", (file) => {
    const r = check(read(file), file);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.model?.name).toBe(file.replace(/\.if$/, ""));
  });

  it.each(includeFiles)("include file %s is accepted with every interface", (inc) => {
    const includes = [{ file: inc, text: read(inc) }];
    for (const file of interfaces) {
      const errors = check(read(file), file, { includes }).diagnostics.filter((d) => d.severity === "error");
      expect(errors, file).toEqual([]);
    }
  });

  it("checks with Barrelfish's own include set instead of the defaults", () => {
    const includes = ["types.if", "arch/x86_64.if", "platform/x86_64.if"].map((f) => ({
      file: f,
      text: read(f),
    }));
    for (const file of interfaces) {
      const r = check(read(file), file, { includes, defaultIncludes: false });
      expect(
        r.diagnostics.filter((d) => d.severity === "error"),
        file,
      ).toEqual([]);
    }
  });

  it("refuses types.if as an interface (it is an include file)", () => {
    const r = check(read("types.if"), "types.if");
    expect(r.model).toBeUndefined();
    expect(r.diagnostics[0]?.code).toBe("syntax-error");
  });
});

/** Golden models: regenerate with `UPDATE_GOLDEN=1 pnpm vitest run test/corpus.test.ts` and review the diff. */
const GOLDEN = [
  "ping_pong.if",
  "test.if",
  "intermon.if",
  "net_filter.if",
  "octopus.if",
  "monitor_blocking.if",
];

describe("golden models", () => {
  it.each(GOLDEN)("%s", (file) => {
    const model: InterfaceModel | undefined = check(read(file), file).model;
    const actual = `${JSON.stringify(model, null, 2)}\n`;
    const path = new URL(`golden/${file.replace(/\.if$/, ".model.json")}`, import.meta.url);
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path, actual);
    expect(actual).toBe(readFileSync(path, "utf8"));
  });
});
