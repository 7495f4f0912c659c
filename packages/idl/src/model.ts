/**
 * The checked model of one Flounder interface: what `check()` returns and what every backend of the
 * stub compiler reads. Plain data (no classes, no cycles) so that `flounder ast --json` can print it
 * as it is. Named types are referred to by name and looked up in {@link InterfaceModel.types}.
 *
 * @packageDocumentation
 */

/** A place in a source file. `line` and `col` count from 1; `offset` from 0, in UTF-16 units. */
export interface Span {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly offset: number;
  /** Length of the spanned text in UTF-16 units (at least 1 for a diagnostic position, 0 only at EOF). */
  readonly length: number;
}

/** The builtin types of the language. Legacy `int` is parsed as `int32`. */
export type BuiltinName =
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "uintptr"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "intptr"
  | "size"
  | "char"
  | "bool"
  | "iref"
  | "cap"
  | "give_away_cap"
  | "errval";

/** A use of a type: a builtin, or a type declared in the interface or in an include file. */
export type TypeRef =
  | { readonly kind: "builtin"; readonly name: BuiltinName }
  | { readonly kind: "named"; readonly name: string };

/** `alias NAME BUILTIN;` or `typedef TYPE NAME;` (both introduce another name for a type). */
export interface AliasDecl {
  readonly kind: "alias";
  readonly name: string;
  readonly target: TypeRef;
  /** Which spelling declared it. */
  readonly syntax: "alias" | "typedef";
  readonly span: Span;
}

/** `typedef struct { T a; ... } NAME;` */
export interface StructDecl {
  readonly kind: "struct";
  readonly name: string;
  readonly fields: readonly StructField[];
  readonly span: Span;
}

export interface StructField {
  readonly name: string;
  readonly type: TypeRef;
  readonly span: Span;
}

/** `typedef T NAME[N];` a fixed-length array. */
export interface ArrayDecl {
  readonly kind: "array";
  readonly name: string;
  readonly element: TypeRef;
  readonly length: number;
  readonly span: Span;
}

/** `typedef enum { A, B } NAME;` members take the values 0, 1, ... in order. */
export interface EnumDecl {
  readonly kind: "enum";
  readonly name: string;
  readonly members: readonly EnumMember[];
  readonly span: Span;
}

export interface EnumMember {
  readonly name: string;
  readonly value: number;
  readonly span: Span;
}

export type TypeDecl = AliasDecl | StructDecl | ArrayDecl | EnumDecl;

/** `@name(key = value, ...)` before a message or rpc. */
export interface Annotation {
  readonly name: string;
  readonly params: readonly { readonly key: string; readonly value: number | string }[];
  readonly span: Span;
}

/** One argument of a message. */
export type Arg = ValueArg | StringArg | DynArrayArg;

/** `T name`: a fixed-size value (builtin, alias, struct, enum, fixed array, or capability). */
export interface ValueArg {
  readonly kind: "value";
  readonly name: string;
  readonly type: TypeRef;
  readonly span: Span;
}

/** `String name[N]`: UTF-8 text of at most `bound - 1` bytes (C's NUL included in the bound). */
export interface StringArg {
  readonly kind: "string";
  readonly name: string;
  readonly bound: number;
  readonly span: Span;
}

/** `T name[len, max]`: at most `max` elements; the length travels implicitly and `len` names it. */
export interface DynArrayArg {
  readonly kind: "dynarray";
  readonly name: string;
  readonly element: TypeRef;
  readonly lengthName: string;
  readonly max: number;
  readonly span: Span;
}

/** `message name(args);` as declared. */
export interface MessageDecl {
  readonly kind: "message";
  readonly name: string;
  readonly args: readonly Arg[];
  readonly annotations: readonly Annotation[];
  readonly span: Span;
}

/** `rpc name(in ..., out ...);` as declared. Args keep their declaration order. */
export interface RpcDecl {
  readonly kind: "rpc";
  readonly name: string;
  readonly args: readonly RpcArg[];
  readonly annotations: readonly Annotation[];
  readonly span: Span;
}

export interface RpcArg {
  readonly direction: "in" | "out";
  readonly arg: Arg;
}

/** Message numbers 0, 1 and 2 are reserved by Flounder (dummy, bind, bind reply). */
export const FIRST_MESSAGE_NUMBER = 3;

/**
 * A message as it travels: every `message` is one; every `rpc r` is two, `r_call` carrying the in-args
 * and `r_response` carrying the out-args. Numbered from {@link FIRST_MESSAGE_NUMBER} in declaration order.
 */
export interface WireMessage {
  readonly name: string;
  readonly number: number;
  readonly origin: "message" | "call" | "response";
  /** The rpc this half belongs to (undefined for a plain message). */
  readonly rpc?: string;
  readonly args: readonly Arg[];
  readonly annotations: readonly Annotation[];
  readonly span: Span;
}

/** A checked interface. Only produced when the file has no errors (warnings allowed). */
export interface InterfaceModel {
  readonly name: string;
  /** The optional description string after the name. */
  readonly description?: string;
  readonly file: string;
  readonly span: Span;
  /** Every type visible to the interface, include files' first, then the file's own, in order. */
  readonly types: readonly TypeDecl[];
  /** Names of the types that came from include files (default or `-i`), not from the file itself. */
  readonly includedTypes: readonly string[];
  /** Messages and rpcs in declaration order. */
  readonly decls: readonly (MessageDecl | RpcDecl)[];
  /** The wire messages in message-number order (index i has number i + FIRST_MESSAGE_NUMBER). */
  readonly messages: readonly WireMessage[];
}

/** How serious a diagnostic is: errors stop code generation, warnings do not. */
export type Severity = "error" | "warning";

/** One finding about the input, positioned. `code` is stable (e.g. `undeclared-type`); `message` is for people. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  /**
   * Only on a `too-many-diagnostics` summary: how many errors and warnings it stands for (they were
   * dropped), so that a count of the file's findings stays exact.
   */
  readonly hidden?: DiagnosticCounts;
}

/** How many errors and warnings a list of diagnostics holds, dropped ones included. */
export interface DiagnosticCounts {
  readonly errors: number;
  readonly warnings: number;
}
