/**
 * Checks of type declarations (`alias`, `typedef` of every form) and their conversion to the model.
 *
 * @packageDocumentation
 */
import type { Ident, SizeLit, TypeDeclAst } from "../ast.js";
import { error, warning } from "../diagnostics.js";
import type { Diagnostic, EnumMember, Span, StructField, TypeDecl, TypeRef } from "../model.js";
import { BUILTINS, isReservedTypeName, type TypeScope } from "./scope.js";

/** Largest accepted fixed array length (`typedef T a[N]`): a fixed array travels inline in the message. */
export const MAX_FIXED_ARRAY_LENGTH = 4096;
/** Largest accepted bound of a string or dynamic array: lengths travel in one 32-bit word, signed-safe. */
export const MAX_DYNAMIC_SIZE = 0x7fff_ffff;

/**
 * Checks a file's type declarations in order, adding each to `scope` once it is complete (so that a
 * declaration can use only those before it). Returns the model declarations this file contributes.
 */
export function checkTypeDecls(
  decls: readonly TypeDeclAst[],
  file: string,
  included: boolean,
  scope: TypeScope,
  out: Diagnostic[],
): TypeDecl[] {
  const expected = new Map<string, Span>();
  for (const d of decls) if (d.name && !expected.has(d.name.text)) expected.set(d.name.text, d.name.span);
  scope.expect(expected);
  const seen = new Map<string, Span>();
  const result: TypeDecl[] = [];
  for (const d of decls) {
    const name = d.name;
    if (!name) continue;
    if (isReservedTypeName(name.text)) {
      reservedName(d, name, included, out);
      continue;
    }
    const first = seen.get(name.text);
    if (first) {
      out.push(
        error("duplicate-type", `type '${name.text}' is already declared at line ${first.line}`, name.span),
      );
      continue;
    }
    seen.set(name.text, name.span);
    const decl = convert(d, name, scope, out);
    if (decl) {
      result.push(decl);
      scope.declare({ decl, file, included });
    } else {
      scope.declareBroken(name.text);
    }
  }
  scope.expect(new Map());
  return result;
}

/** `alias iref uint32;` names a builtin: Barrelfish ignores it (builtins win lookup); so do we. */
function reservedName(d: TypeDeclAst, name: Ident, included: boolean, out: Diagnostic[]): void {
  const isAlias = d.kind === "alias" || d.kind === "typedef-alias";
  if (isAlias && included) return; // include files (types.if, arch/*.if) do this on purpose
  if (isAlias) {
    out.push(
      warning(
        "builtin-redeclared",
        `'${name.text}' is a builtin type; this declaration has no effect`,
        name.span,
      ),
    );
    return;
  }
  out.push(
    error("builtin-redeclared", `'${name.text}' is a builtin type and cannot be redeclared`, name.span),
  );
}

function convert(d: TypeDeclAst, name: Ident, scope: TypeScope, out: Diagnostic[]): TypeDecl | undefined {
  switch (d.kind) {
    case "alias": {
      if (!d.target) return undefined;
      const builtin = BUILTINS.get(d.target.text);
      if (builtin === undefined) {
        const t = d.target.text;
        const msg =
          t === "String" || t === "string"
            ? "an alias of a string is not possible: strings need a bound and are only arguments ('String s[N]')"
            : scope.get(t)
              ? `'alias' takes a builtin type; write 'typedef ${t} ${name.text};' to name a declared type`
              : `'alias' takes a builtin type (uint8 ... uint64, int8 ... int64, char, bool, ...), not '${t}'`;
        out.push(error("alias-target-not-builtin", msg, d.target.span));
        return undefined;
      }
      scope.use(d.target, out); // for the portability warning
      return {
        kind: "alias",
        name: name.text,
        target: { kind: "builtin", name: builtin },
        syntax: "alias",
        span: d.span,
      };
    }
    case "typedef-alias": {
      if (!d.target) return undefined;
      const target = elementType(d.target, "a typedef", scope, out, true);
      return target && { kind: "alias", name: name.text, target, syntax: "typedef", span: d.span };
    }
    case "typedef-array": {
      if (!d.element) return undefined;
      const element = elementType(d.element, "a fixed array", scope, out, false);
      if (element && scope.carriesCap(element)) {
        // Refused as a cap element is (Flounder would allow both; no interface of the corpus needs them).
        out.push(
          error(
            "cap-not-allowed-here",
            `'${d.element.text}' carries a capability and cannot be a fixed array element; pass the capabilities as message arguments or struct fields`,
            d.element.span,
          ),
        );
        return undefined;
      }
      const length = d.length
        ? checkSize(d.length, MAX_FIXED_ARRAY_LENGTH, "a fixed array length", out)
        : undefined;
      return element && length !== undefined
        ? { kind: "array", name: name.text, element, length, span: d.span }
        : undefined;
    }
    case "typedef-struct": {
      const fields: StructField[] = [];
      const seen = new Map<string, Span>();
      let ok = true;
      for (const f of d.fields) {
        if (!f.name || !f.type) {
          ok = false;
          continue;
        }
        const first = seen.get(f.name.text);
        if (first) {
          out.push(
            error(
              "duplicate-field",
              `field '${f.name.text}' is already declared in struct '${name.text}' at line ${first.line}`,
              f.name.span,
            ),
          );
          ok = false;
          continue;
        }
        seen.set(f.name.text, f.name.span);
        // A cap field travels out of band like a cap argument (Flounder carries caps in structs too).
        const type = elementType(f.type, "a struct field", scope, out, true);
        if (type) fields.push({ name: f.name.text, type, span: f.span });
        else ok = false;
      }
      return ok ? { kind: "struct", name: name.text, fields, span: d.span } : undefined;
    }
    case "typedef-enum": {
      const members: EnumMember[] = [];
      const seen = new Map<string, Span>();
      for (const m of d.members) {
        const first = seen.get(m.text);
        if (first) {
          out.push(
            error(
              "duplicate-enum-member",
              `enum member '${m.text}' is already declared in enum '${name.text}' at line ${first.line}`,
              m.span,
            ),
          );
          continue;
        }
        seen.set(m.text, m.span);
        members.push({ name: m.text, value: members.length, span: m.span });
      }
      return { kind: "enum", name: name.text, members, span: d.span };
    }
  }
}

/**
 * Resolves a type used inside a declaration. Strings never fit there (they need a bound and travel
 * apart); capabilities fit in a plain typedef and a struct field (each travels out of band, named by
 * its field path) but not in a fixed array.
 */
function elementType(
  ident: Ident,
  where: string,
  scope: TypeScope,
  out: Diagnostic[],
  capAllowed: boolean,
): TypeRef | undefined {
  if (ident.text === "string") {
    out.push(legacyString(ident));
    return undefined;
  }
  if (ident.text === "String") {
    out.push(
      error(
        "string-not-allowed-here",
        `String cannot be ${where}: strings need a bound and are only arguments ('String s[N]')`,
        ident.span,
      ),
    );
    return undefined;
  }
  const ref = scope.use(ident, out);
  if (ref && !capAllowed && scope.isCap(ref)) {
    out.push(
      error(
        "cap-not-allowed-here",
        `a capability cannot be ${where}; pass it as a message argument or a struct field`,
        ident.span,
      ),
    );
    return undefined;
  }
  return ref;
}

/** The pre-2016 `string` (unbounded, lowercase); `name` is the argument's, when there is one. */
export function legacyString(ident: Ident, name = "NAME"): Diagnostic {
  return error(
    "legacy-string",
    `'string' is pre-2016 Flounder syntax: write 'String ${name}[N]' (a string of at most N-1 bytes)`,
    ident.span,
  );
}

/** Checks a size literal: positive and at most `max`. Returns the value, or undefined after an error. */
export function checkSize(size: SizeLit, max: number, what: string, out: Diagnostic[]): number | undefined {
  if (size.negative || size.value === 0) {
    out.push(error("size-not-positive", `${what} must be positive`, size.span));
    return undefined;
  }
  if (size.value > max) {
    out.push(error("size-too-large", `${what} must be at most ${max}`, size.span));
    return undefined;
  }
  return size.value;
}
