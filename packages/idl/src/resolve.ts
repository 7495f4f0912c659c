import type {
  ArrayDecl,
  BuiltinName,
  EnumDecl,
  InterfaceModel,
  StructDecl,
  TypeDecl,
  TypeRef,
} from "./model.js";

/** A type with its aliases followed to the end: what a backend lays out. */
export type ResolvedType =
  | { readonly kind: "builtin"; readonly name: BuiltinName }
  | StructDecl
  | ArrayDecl
  | EnumDecl;

/** Index of a model's types by name, built once per model and reused. */
const tables = new WeakMap<InterfaceModel, ReadonlyMap<string, TypeDecl>>();

function table(model: InterfaceModel): ReadonlyMap<string, TypeDecl> {
  let t = tables.get(model);
  if (t === undefined) {
    t = new Map(model.types.map((d) => [d.name, d]));
    tables.set(model, t);
  }
  return t;
}

/** The declaration of a named type, or undefined. */
export function lookupType(model: InterfaceModel, name: string): TypeDecl | undefined {
  return table(model).get(name);
}

/**
 * Follows aliases until a builtin, struct, array or enum. The checker guarantees that every name in a
 * checked model resolves and that aliases do not loop; a model built by hand that breaks this throws.
 */
export function resolveType(model: InterfaceModel, ref: TypeRef): ResolvedType {
  let current: TypeRef = ref;
  for (let hops = 0; hops <= model.types.length; hops++) {
    if (current.kind === "builtin") return current;
    const decl = table(model).get(current.name);
    if (decl === undefined)
      throw new Error(`resolveType: type '${current.name}' is not declared in the model`);
    if (decl.kind !== "alias") return decl;
    current = decl.target;
  }
  throw new Error(`resolveType: alias cycle through '${ref.kind === "named" ? ref.name : ref.name}'`);
}
