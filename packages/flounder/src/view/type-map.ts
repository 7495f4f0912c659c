/**
 * The type mapping of docs/design.md: which TypeScript type each Flounder type becomes, and the names of the
 * declared types in the generated file.
 *
 * @packageDocumentation
 */
import type { Arg, InterfaceModel, TypeDecl, TypeRef } from "@shoal/idl";
import { lookupType, resolveType } from "@shoal/idl";
import { builtinScalar } from "../layout.js";
import { safeTypeName } from "../names.js";

/** How the generated file refers to the runtime module (a namespace import, so no name can clash). */
export const RT = "$rt";

/** Declared type names as printed, chosen once per file (escaped where TypeScript reserves the name). */
export class TypeNames {
  readonly #names = new Map<string, string>();
  constructor(model: InterfaceModel, taken: Set<string>) {
    for (const d of model.types) this.#names.set(d.name, safeTypeName(d.name, taken));
  }
  /** The printed name of declared type `name`. */
  get(name: string): string {
    return this.#names.get(name) ?? name;
  }
}

/** The TypeScript type of a type reference. */
export function tsType(names: TypeNames, ref: TypeRef): string {
  if (ref.kind === "named") return names.get(ref.name);
  const s = builtinScalar(ref.name);
  if (s === "cap") return `${RT}.CapRef`;
  if (s.kind === "bool") return "boolean";
  if (s.kind === "enum") return "number";
  return s.bits === 64 ? "bigint" : "number";
}

/** Whether a dynamic array's elements are signed (Int8Array) — the layout has already checked width. */
export function signedBytes(model: InterfaceModel, element: TypeRef): boolean {
  const t = resolveType(model, element);
  if (t.kind !== "builtin") return false;
  const s = builtinScalar(t.name);
  return s !== "cap" && s.kind === "int" && s.signed;
}

/** The TypeScript type of a message argument. */
export function argType(model: InterfaceModel, names: TypeNames, arg: Arg): string {
  switch (arg.kind) {
    case "value":
      return tsType(names, arg.type);
    case "string":
      return "string";
    case "dynarray":
      return signedBytes(model, arg.element) ? "Int8Array" : "Uint8Array";
  }
}

/** Whether values of this type are objects or arrays that lrpc must copy so the receiver cannot alias them. */
export function isAggregate(model: InterfaceModel, ref: TypeRef): boolean {
  const t = resolveType(model, ref);
  return t.kind === "struct" || t.kind === "array";
}

/** The declared types the generated file prints: the file's own and the included ones its messages reach. */
export function printedTypes(model: InterfaceModel): readonly TypeDecl[] {
  const included = new Set(model.includedTypes);
  const reached = new Set<string>();
  const visit = (t: TypeRef): void => {
    if (t.kind !== "named" || reached.has(t.name)) return;
    reached.add(t.name);
    const d = lookupType(model, t.name);
    if (d === undefined) return;
    if (d.kind === "alias") visit(d.target);
    else if (d.kind === "array") visit(d.element);
    else if (d.kind === "struct") for (const f of d.fields) visit(f.type);
  };
  for (const d of model.types) if (!included.has(d.name)) visit({ kind: "named", name: d.name });
  for (const m of model.messages)
    for (const a of m.args) {
      if (a.kind === "value") visit(a.type);
      else if (a.kind === "dynarray") visit(a.element);
    }
  return model.types.filter((d) => reached.has(d.name));
}
