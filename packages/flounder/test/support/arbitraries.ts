/**
 * fast-check arbitraries of valid argument values for any message of any interface model, up to the
 * declared bounds: what a caller of the generated stubs may pass.
 */
import type { Arg, InterfaceModel, TypeRef, WireMessage } from "@shoal/idl";
import { resolveType } from "@shoal/idl";
import { CapRef } from "@shoal/runtime";
import fc from "fast-check";
import { builtinScalar } from "../../src/layout.js";

/** One capability reference shared by all tests (same-thread transfer keeps identity). */
export const TEST_CAP = new CapRef("test capability");

const utf8 = new TextEncoder();

function intArb(bits: 8 | 16 | 32 | 64, signed: boolean): fc.Arbitrary<number | bigint> {
  if (bits === 64) return signed ? fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n) : fc.bigInt(0n, 2n ** 64n - 1n);
  const span = 2 ** bits;
  return signed ? fc.integer({ min: -span / 2, max: span / 2 - 1 }) : fc.integer({ min: 0, max: span - 1 });
}

/** Values of a type reference. */
export function typeArb(model: InterfaceModel, ref: TypeRef): fc.Arbitrary<unknown> {
  const t = resolveType(model, ref);
  switch (t.kind) {
    case "builtin": {
      const s = builtinScalar(t.name);
      if (s === "cap") return fc.constant(TEST_CAP);
      if (s.kind === "bool") return fc.boolean();
      if (s.kind === "enum") return fc.constant(0);
      return intArb(s.bits, s.signed);
    }
    case "enum":
      return fc.constantFrom(...t.members.map((m) => m.name));
    case "struct": {
      const rec: Record<string, fc.Arbitrary<unknown>> = {};
      for (const f of t.fields) rec[f.name] = typeArb(model, f.type);
      return fc.record(rec);
    }
    case "array":
      return fc.array(typeArb(model, t.element), { minLength: t.length, maxLength: t.length });
  }
}

/** Strings of at most `maxBytes` UTF-8 bytes, including ones right at the bound. */
export function stringArb(maxBytes: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.string({ unit: "binary", maxLength: Math.min(maxBytes, 40) }),
      fc.integer({ min: 0, max: maxBytes }).map((n) => "a".repeat(n)),
      fc.integer({ min: 0, max: Math.floor(maxBytes / 3) }).map((n) => "€".repeat(n)),
    )
    .filter((s) => utf8.encode(s).length <= maxBytes);
}

function signedBytes(model: InterfaceModel, ref: TypeRef): boolean {
  const t = resolveType(model, ref);
  if (t.kind !== "builtin") return false;
  const s = builtinScalar(t.name);
  return s !== "cap" && s.kind === "int" && s.signed;
}

/** Values of one argument. */
export function argArb(model: InterfaceModel, a: Arg): fc.Arbitrary<unknown> {
  switch (a.kind) {
    case "value":
      return typeArb(model, a.type);
    case "string":
      return stringArb(Math.max(0, a.bound - 1));
    case "dynarray":
      return signedBytes(model, a.element)
        ? fc.int8Array({ maxLength: a.max })
        : fc.uint8Array({ maxLength: a.max });
  }
}

/** Argument lists of one wire message. */
export function argsArb(model: InterfaceModel, m: WireMessage): fc.Arbitrary<unknown[]> {
  return fc.tuple(...m.args.map((a) => argArb(model, a)));
}
