/**
 * Hand-built InterfaceModels for tests that must not depend on the IDL front end: a terse builder that
 * derives the wire messages (numbering from 3, rpc halves) the way the checker does.
 */
import type {
  Arg,
  BuiltinName,
  InterfaceModel,
  MessageDecl,
  RpcArg,
  RpcDecl,
  Span,
  TypeDecl,
  TypeRef,
  WireMessage,
} from "@shoal/idl";

const SPAN: Span = { file: "test.if", line: 1, col: 1, offset: 0, length: 1 };

const BUILTINS = new Set<string>([
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "uintptr",
  "int8",
  "int16",
  "int32",
  "int64",
  "intptr",
  "size",
  "char",
  "bool",
  "iref",
  "cap",
  "give_away_cap",
  "errval",
]);

/** A type reference by name: builtin when the name is a builtin. */
export function ref(name: string): TypeRef {
  return BUILTINS.has(name) ? { kind: "builtin", name: name as BuiltinName } : { kind: "named", name };
}

/** `T name`. */
export function val(type: string, name: string): Arg {
  return { kind: "value", name, type: ref(type), span: SPAN };
}
/** `String name[bound]`. */
export function str(name: string, bound: number): Arg {
  return { kind: "string", name, bound, span: SPAN };
}
/** `T name[len, max]`. */
export function dyn(type: string, name: string, max: number, lengthName = `${name}_len`): Arg {
  return { kind: "dynarray", name, element: ref(type), lengthName, max, span: SPAN };
}
/** `message name(args)`. */
export function msg(name: string, ...args: Arg[]): MessageDecl {
  return { kind: "message", name, args, annotations: [], span: SPAN };
}
/** `rpc name(args)` with `in`/`out` given per argument. */
export function rpc(name: string, ...args: [RpcArg["direction"], Arg][]): RpcDecl {
  return {
    kind: "rpc",
    name,
    args: args.map(([direction, arg]) => ({ direction, arg })),
    annotations: [],
    span: SPAN,
  };
}
/** `typedef enum { ... } name`. */
export function enumT(name: string, ...members: string[]): TypeDecl {
  return {
    kind: "enum",
    name,
    members: members.map((m, value) => ({ name: m, value, span: SPAN })),
    span: SPAN,
  };
}
/** `typedef struct { ... } name`. */
export function structT(name: string, ...fields: [string, string][]): TypeDecl {
  return {
    kind: "struct",
    name,
    fields: fields.map(([type, field]) => ({ name: field, type: ref(type), span: SPAN })),
    span: SPAN,
  };
}
/** `typedef T name[length]`. */
export function arrayT(name: string, element: string, length: number): TypeDecl {
  return { kind: "array", name, element: ref(element), length, span: SPAN };
}
/** `alias name T`. */
export function aliasT(name: string, target: string): TypeDecl {
  return { kind: "alias", name, target: ref(target), syntax: "alias", span: SPAN };
}

/** A checked-model look-alike for interface `name`. */
export function iface(
  name: string,
  decls: readonly (MessageDecl | RpcDecl)[],
  types: readonly TypeDecl[] = [],
): InterfaceModel {
  const messages: WireMessage[] = [];
  for (const d of decls) {
    if (d.kind === "message") {
      messages.push({
        name: d.name,
        number: messages.length + 3,
        origin: "message",
        args: d.args,
        annotations: d.annotations,
        span: d.span,
      });
    } else {
      for (const [origin, dir] of [
        ["call", "in"],
        ["response", "out"],
      ] as const) {
        messages.push({
          name: `${d.name}_${origin}`,
          number: messages.length + 3,
          origin,
          rpc: d.name,
          args: d.args.filter((a) => a.direction === dir).map((a) => a.arg),
          annotations: d.annotations,
          span: d.span,
        });
      }
    }
  }
  return { name, file: `${name}.if`, span: SPAN, types, includedTypes: [], decls, messages };
}

/** interfaces/ping_pong.if as a model. */
export const pingPong: InterfaceModel = iface("ping_pong", [
  msg("ping", val("uint64", "val")),
  msg("pong", val("uint64", "val")),
  rpc("testrpc", ["in", val("uint64", "testin")], ["out", val("uint64", "testout")]),
  msg("str", val("uint32", "id"), str("s", 2048)),
  msg("arr", val("uint32", "id"), dyn("uint8", "a", 2048, "len")),
  msg("stop"),
]);

/** An interface that exercises every construct: enums, structs, arrays, aliases, caps, reserved names. */
export const kitchenSink: InterfaceModel = iface(
  "kitchen_sink",
  [
    msg("scalars", val("bool", "b"), val("uint8", "u8"), val("int8", "i8"), val("uint16", "u16")),
    msg("more", val("int16", "i16"), val("int32", "i32"), val("uint32", "u32"), val("char", "c")),
    msg("wide", val("uint64", "u64"), val("int64", "i64"), val("size", "sz"), val("intptr", "ip")),
    msg("typed", val("color", "col"), val("point", "pt"), val("coremask", "mask"), val("rsrc", "r")),
    msg("caps", val("cap", "c1"), val("uint32", "x"), val("give_away_cap", "c2")),
    msg("bytes", dyn("int8", "data", 100), str("name", 16), dyn("char", "more", 3)),
    msg("delete", val("uint32", "new"), val("bool", "this")),
    rpc("typeof", ["in", val("uint32", "var")], ["out", str("return", 32)], ["out", val("color", "class")]),
    rpc("nothing"),
    msg("empty"),
  ],
  [
    enumT("color", "RED", "GREEN", "BLUE"),
    structT("point", ["int32", "x"], ["uint8", "flag"], ["bool", "on"], ["uint64", "big"]),
    arrayT("coremask", "uint64", 2),
    aliasT("rsrc", "uint16"),
  ],
);
