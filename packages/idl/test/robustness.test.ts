import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check } from "../src/index.js";
import { mutatedCorpusFile, violation } from "./mutations.js";

/** Cases per run of the mutation property (the long run is `pnpm fuzz:long`). */
const RUNS = Number(process.env.IDL_FUZZ_RUNS ?? 10_000);

describe("robustness", () => {
  it(`mutated corpus files never throw and keep diagnostics inside the file (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(mutatedCorpusFile(), ({ file, text }) => {
        const v = violation(file, text);
        if (v) throw new Error(v);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("mutated corpus files as include files behave the same (2000 cases)", () => {
    fc.assert(
      fc.property(mutatedCorpusFile(), ({ file, text }) => {
        const v = violation(file, text, true);
        if (v) throw new Error(v);
      }),
      { numRuns: 2000 },
    );
  });

  it("survives arbitrary strings and random bytes", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.string({ maxLength: 300 })),
        (text) => {
          const v = violation("x.if", text);
          if (v) throw new Error(v);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("survives a 10 MB file, deep nesting and a long unterminated comment (no hang)", () => {
    const body = "    message m_N(uint32 a, String s[64], uint8 d[n, 16]);\n";
    let big = "interface big {\n";
    for (let i = 0; big.length < 10_000_000; i++) big += body.replace("N", String(i));
    big += "};\n";
    expect(check(big, "big.if").diagnostics).toEqual([]);
    for (const text of [
      `interface n { message m${"(".repeat(100_000)}); };`,
      `interface n ${"{".repeat(100_000)}`,
      `${"/*".repeat(100_000)} interface n { message m(); };`,
      `interface n { ${"@a(".repeat(50_000)} message m(); };`,
      "\u0000\uffff\ud800".repeat(100_000),
      // Quadratic traps: a lexer retrying from every quote of a long line, a formatter rescanning it.
      `interface q "${'\\"'.repeat(1_000_000)}`,
      `interface q { ${"message m(uint33 x); ".repeat(100_000)} };`,
    ]) {
      expect(violation("n.if", text)).toBeUndefined();
    }
  }, 120_000);
});
