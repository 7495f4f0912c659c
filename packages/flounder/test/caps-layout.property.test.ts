/**
 * Property: for random nests of structs mixing capabilities and scalars, the layout sends exactly the
 * capabilities, out of band, in argument then depth-first field order, each named by its path, and
 * packs exactly the other leaves; the generator compiles every such interface.
 */
import type { InterfaceModel, TypeDecl } from "@shoal/idl";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generate } from "../src/generate.js";
import { layoutInterface } from "../src/layout.js";
import { iface, msg, structT, val } from "./support/models.js";

const LEAVES = ["uint8", "uint32", "uint64", "bool", "cap", "give_away_cap"] as const;

/** Declarations s0..sN, each struct's fields drawn from the leaves and the structs before it. */
const modelArb: fc.Arbitrary<InterfaceModel> = fc
  .array(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 })
  .chain((structs) => {
    const types: TypeDecl[] = structs.map((picks, i) => {
      const choices = [...LEAVES, ...Array.from({ length: i }, (_, j) => `s${j}`)];
      return structT(
        `s${i}`,
        ...picks.map((p, k): [string, string] => [choices[p % choices.length] ?? "uint8", `f${k}`]),
      );
    });
    const argChoices = [...LEAVES, ...types.map((t) => t.name)];
    return fc
      .array(fc.nat(), { minLength: 1, maxLength: 4 })
      .map((picks) =>
        iface(
          "nest",
          [msg("m", ...picks.map((p, k) => val(argChoices[p % argChoices.length] ?? "uint8", `a${k}`)))],
          types,
        ),
      );
  });

/** The reference walk: every leaf of the message's arguments, depth first, with its path name. */
function leaves(model: InterfaceModel): { name: string; type: string }[] {
  const out: { name: string; type: string }[] = [];
  const walk = (type: string, name: string) => {
    const decl = model.types.find((t) => t.name === type);
    if (decl?.kind === "struct") {
      for (const f of decl.fields) walk(f.type.name, `${name}.${f.name}`);
    } else out.push({ name, type });
  };
  for (const a of model.messages[0]?.args ?? []) if (a.kind === "value") walk(a.type.name, a.name);
  return out;
}

describe("capabilities in nested structs", () => {
  it("travel out of band in depth-first field order; the other leaves fill the words", () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const [l] = layoutInterface(model);
        const all = leaves(model);
        const isCap = (t: string) => t === "cap" || t === "give_away_cap";
        expect(l?.caps.map((c) => [c.arg, c.giveAway])).toEqual(
          all.filter((x) => isCap(x.type)).map((x) => [x.name, x.type === "give_away_cap"]),
        );
        // Every other leaf is packed (a 64-bit one as two halves), and nothing else.
        const packed = all
          .filter((x) => !isCap(x.type))
          .flatMap((x) => (x.type === "uint64" ? [x.name, x.name] : [x.name]));
        expect([...(l?.fields.map((p) => p.arg) ?? [])].sort()).toEqual(packed.sort());
        expect(() => generate(model, { source: "nest.if" })).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
