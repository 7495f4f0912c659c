/**
 * lrpc hands values over without encoding. So that a value arrives the same over every transport, the
 * sending stub copies each fixed argument as the wire would carry it: integers wrapped to their width and
 * signedness, booleans to booleans, structs rebuilt with exactly their declared fields, fixed arrays
 * element by element (which also keeps the two sides from sharing an object). Enum names and
 * capabilities pass as they are: the receiving stub checks enum names as the word decoder does.
 *
 * @packageDocumentation
 */
import type { InterfaceModel, TypeRef } from "@shoal/idl";
import { resolveType } from "@shoal/idl";
import { builtinScalar } from "../layout.js";
import { propertyKey } from "../names.js";
import { accessPath } from "./codec.js";

/** The expression that copies value `x` of type `ref` as the wire would deliver it. */
export function wireCopy(model: InterfaceModel, ref: TypeRef, x: string): string {
  const t = resolveType(model, ref);
  switch (t.kind) {
    case "builtin":
      return wireScalar(t.name, x);
    case "enum":
      return x;
    case "struct":
      return `{ ${t.fields
        .map(
          (f) =>
            `${propertyKey(f.name)}: ${wireCopy(model, f.type, accessPath(x, [{ kind: "field", name: f.name }]))}`,
        )
        .join(", ")} }`;
    case "array": {
      const items: string[] = [];
      for (let i = 0; i < t.length; i++)
        items.push(wireCopy(model, t.element, accessPath(x, [{ kind: "index", index: i }])));
      return `[${items.join(", ")}]`;
    }
  }
}

/** A builtin scalar wrapped as the wire carries it (a capability as it is). */
function wireScalar(name: Parameters<typeof builtinScalar>[0], x: string): string {
  const s = builtinScalar(name);
  if (s === "cap" || s.kind === "enum") return x;
  if (s.kind === "bool") return `!!${x}`;
  if (s.bits === 64) return `BigInt.${s.signed ? "asIntN" : "asUintN"}(64, ${x})`;
  if (s.bits === 32) return s.signed ? `(${x} | 0)` : `(${x} >>> 0)`;
  const shift = 32 - s.bits;
  return s.signed ? `((${x} << ${shift}) >> ${shift})` : `(${x} & 0x${(2 ** s.bits - 1).toString(16)})`;
}
