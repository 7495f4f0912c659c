/**
 * The typed syntax tree that {@link parse} returns: what the file says, before any name is resolved.
 * Error recovery can leave holes, so every part that a broken file may lack is optional; the checker
 * skips what is missing instead of reporting a second error for it.
 *
 * @packageDocumentation
 */
import type { Span } from "./model.js";

/** A name as written, with its place. */
export interface Ident {
  readonly text: string;
  readonly span: Span;
}

/** An integer literal, possibly preceded by `-` (which the checker refuses where a size is expected). */
export interface SizeLit {
  /** The value; `Infinity` when the literal does not fit in a double exactly (far beyond any limit). */
  readonly value: number;
  readonly negative: boolean;
  readonly span: Span;
}

/** `alias NAME TYPE;` */
export interface AliasAst {
  readonly kind: "alias";
  readonly name?: Ident;
  readonly target?: Ident;
  readonly span: Span;
}

/** `typedef TYPE NAME;` */
export interface TypedefAliasAst {
  readonly kind: "typedef-alias";
  readonly name?: Ident;
  readonly target?: Ident;
  readonly span: Span;
}

/** `typedef TYPE NAME[N];` */
export interface TypedefArrayAst {
  readonly kind: "typedef-array";
  readonly name?: Ident;
  readonly element?: Ident;
  readonly length?: SizeLit;
  readonly span: Span;
}

/** `typedef struct { TYPE NAME; ... } NAME;` */
export interface TypedefStructAst {
  readonly kind: "typedef-struct";
  readonly name?: Ident;
  readonly fields: readonly { readonly type?: Ident; readonly name?: Ident; readonly span: Span }[];
  readonly span: Span;
}

/** `typedef enum { A, B } NAME;` */
export interface TypedefEnumAst {
  readonly kind: "typedef-enum";
  readonly name?: Ident;
  readonly members: readonly Ident[];
  readonly span: Span;
}

/** Any type declaration. */
export type TypeDeclAst = AliasAst | TypedefAliasAst | TypedefArrayAst | TypedefStructAst | TypedefEnumAst;

/** `@name(key = value, ...)` */
export interface AnnotationAst {
  readonly name?: Ident;
  readonly params: readonly {
    readonly key?: Ident;
    readonly value?:
      | { readonly kind: "number"; readonly value: SizeLit }
      | { readonly kind: "name"; readonly value: Ident };
  }[];
  readonly span: Span;
}

/**
 * The bracket after an argument name: `[len, max]` (dynamic array), `[N]` (string bound) or the
 * pre-2016 `[len]`.
 */
export interface ArgBracketAst {
  readonly lengthName?: Ident;
  readonly size?: SizeLit;
  readonly span: Span;
}

/** `TYPE NAME` with an optional bracket; `direction` only inside an rpc. */
export interface ArgAst {
  readonly direction?: "in" | "out";
  readonly type?: Ident;
  readonly name?: Ident;
  readonly bracket?: ArgBracketAst;
  readonly span: Span;
}

/** `message NAME(args);`, `rpc NAME(in/out args);` or the pre-2016 `call`/`response NAME(args);`. */
export interface MessageAst {
  readonly kind: "message" | "rpc" | "call" | "response";
  readonly name?: Ident;
  readonly args: readonly ArgAst[];
  readonly annotations: readonly AnnotationAst[];
  /** The keyword (`message`, `rpc`, ...): where order errors point. */
  readonly keyword: Span;
  readonly span: Span;
}

/** One item of an interface body or an include file, in source order. */
export type ItemAst = TypeDeclAst | MessageAst;

/** A whole file: an interface (`header` present) or an include file (only items). */
export interface FileAst {
  readonly file: string;
  /** `interface NAME "description"`; absent for include files and for files that lack it. */
  readonly header?: { readonly name?: Ident; readonly description?: string; readonly span: Span };
  readonly items: readonly ItemAst[];
  /** The whole text. */
  readonly span: Span;
}
