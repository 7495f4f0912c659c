/**
 * Names of types: the builtins, and the declarations visible at a point of a file. Resolving a use
 * reports undeclared names (with a suggestion) and names declared only further down the file.
 *
 * @packageDocumentation
 */
import type { Ident } from "../ast.js";
import { error, warning } from "../diagnostics.js";
import type { BuiltinName, Diagnostic, Span, TypeDecl, TypeRef } from "../model.js";

/** Builtin spellings and what they mean; legacy `int` is `int32`. `String` is handled apart. */
export const BUILTINS: ReadonlyMap<string, BuiltinName> = new Map<string, BuiltinName>([
  ["uint8", "uint8"],
  ["uint16", "uint16"],
  ["uint32", "uint32"],
  ["uint64", "uint64"],
  ["uintptr", "uintptr"],
  ["int8", "int8"],
  ["int16", "int16"],
  ["int32", "int32"],
  ["int64", "int64"],
  ["intptr", "intptr"],
  ["size", "size"],
  ["char", "char"],
  ["bool", "bool"],
  ["iref", "iref"],
  ["cap", "cap"],
  ["give_away_cap", "give_away_cap"],
  ["errval", "errval"],
  ["int", "int32"],
]);

/** Builtins whose width depends on the machine: accepted with a warning. */
const NON_PORTABLE: ReadonlySet<string> = new Set(["uintptr", "intptr", "size"]);

/** True for names that no declaration can take over: the builtins and `String`. */
export function isReservedTypeName(name: string): boolean {
  return BUILTINS.has(name) || name === "String";
}

/** A declared type as the scope sees it. */
export interface ScopeEntry {
  readonly decl: TypeDecl;
  /** File that declared it (an include or the interface). */
  readonly file: string;
  /** True if it came from an include file (default or `-i`). */
  readonly included: boolean;
}

/**
 * The declared types, in the order of the include chain: default includes, `-i` files in order, then
 * the file itself. A later file may redeclare an earlier file's name and wins (Barrelfish's lookup
 * finds the latest declaration first); inside one file a name is declared once.
 */
export class TypeScope {
  readonly #entries = new Map<string, ScopeEntry>();
  /** Names whose declaration had an error: their uses are not reported again. */
  readonly #broken = new Set<string>();
  /** How many more "did you mean" suggestions to compute. */
  #suggestions = 100;
  /** Names the file being checked declares, with the offset of the declaration, for order errors. */
  #pending = new Map<string, Span>();

  /** Adds (or replaces) a declaration. */
  declare(entry: ScopeEntry): void {
    // Delete first so that iteration order is that of the latest declaration.
    this.#entries.delete(entry.decl.name);
    this.#entries.set(entry.decl.name, entry);
    this.#pending.delete(entry.decl.name);
  }

  /** Records a declaration that failed its checks, so that its uses do not cascade into more errors. */
  declareBroken(name: string): void {
    this.#broken.add(name);
    this.#pending.delete(name);
  }

  /** Announces the names a file will declare, so that a use before them is reported as such. */
  expect(names: ReadonlyMap<string, Span>): void {
    this.#pending = new Map(names);
  }

  /** The declaration of `name`, if visible. */
  get(name: string): ScopeEntry | undefined {
    return this.#entries.get(name);
  }

  /** Every visible declaration, in declaration order. */
  entries(): ScopeEntry[] {
    return [...this.#entries.values()];
  }

  /**
   * Resolves a use of a type name to a reference, pushing a diagnostic if it cannot (undeclared, or
   * declared later in the file). `String` and `string` are the caller's business and come back
   * undefined with no diagnostic.
   */
  use(ident: Ident, out: Diagnostic[]): TypeRef | undefined {
    const name = ident.text;
    if (name === "String" || name === "string") return undefined;
    const builtin = BUILTINS.get(name);
    if (builtin !== undefined) {
      if (NON_PORTABLE.has(name)) {
        out.push(
          warning(
            "nonportable-type",
            `'${name}' has the width of the machine that runs the stub; use uint64/int64 (or uint32) for a portable interface`,
            ident.span,
          ),
        );
      }
      return { kind: "builtin", name: builtin };
    }
    const later = this.#pending.get(name);
    if (later !== undefined) {
      out.push(
        error(
          "used-before-declaration",
          `type '${name}' is used before its declaration at line ${later.line}; declare it first`,
          ident.span,
        ),
      );
      return undefined;
    }
    if (this.#entries.has(name)) return { kind: "named", name };
    if (this.#broken.has(name)) return undefined;
    // Suggestions cost a scan of every declared name: only the first few undeclared uses get one,
    // so that a huge file full of them stays linear.
    const hint =
      this.#suggestions-- > 0 ? suggest(name, [...BUILTINS.keys(), ...this.#entries.keys()]) : undefined;
    out.push(
      error(
        "undeclared-type",
        `type '${name}' is not declared${hint ? `; did you mean '${hint}'?` : ""}`,
        ident.span,
      ),
    );
    return undefined;
  }

  /** Follows aliases from `ref` to a builtin name, or undefined for a struct, enum or array. */
  builtinOf(ref: TypeRef): BuiltinName | undefined {
    let current: TypeRef = ref;
    for (let hops = 0; hops <= this.#entries.size; hops++) {
      if (current.kind === "builtin") return current.name;
      const decl = this.#entries.get(current.name)?.decl;
      if (decl === undefined || decl.kind !== "alias") return undefined;
      current = decl.target;
    }
    return undefined;
  }

  /** True if `ref` is, through aliases, a capability. */
  isCap(ref: TypeRef): boolean {
    const b = this.builtinOf(ref);
    return b === "cap" || b === "give_away_cap";
  }

  /**
   * True if a value of type `ref` carries a capability: it is one, or a struct with one among its
   * fields (at any depth). Types only refer to earlier declarations, so the walk ends.
   */
  carriesCap(ref: TypeRef): boolean {
    if (this.isCap(ref)) return true;
    let current: TypeRef = ref;
    for (let hops = 0; hops <= this.#entries.size; hops++) {
      if (current.kind === "builtin") return false;
      const decl = this.#entries.get(current.name)?.decl;
      if (decl === undefined) return false;
      if (decl.kind === "alias") current = decl.target;
      else if (decl.kind === "struct") return decl.fields.some((f) => this.carriesCap(f.type));
      else if (decl.kind === "array") current = decl.element;
      else return false;
    }
    return false;
  }
}

/** The closest candidate within edit distance 2 (for "did you mean"), or undefined. */
export function suggest(name: string, candidates: readonly string[]): string | undefined {
  if (name.length > 40) return undefined;
  let best: string | undefined;
  // Short names are too close to everything: allow one edit per three characters, at most two.
  let bestDistance = Math.min(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - name.length) >= bestDistance) continue;
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
