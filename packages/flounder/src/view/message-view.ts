/**
 * The view of one wire message and of one rpc: the straight-line code, the signatures and the glue the
 * templates print for it. Every decision about a message's generated code is made here (or in
 * codec.ts for the fixed words); the templates only print.
 *
 * @packageDocumentation
 */
import type { Arg, InterfaceModel, WireMessage } from "@shoal/idl";
import type { MessageLayout } from "../layout.js";
import { propertyKey, safeIdentifier, stringLiteral } from "../names.js";
import { accessPath, buildCodec } from "./codec.js";
import { argType, type TypeNames, tsType } from "./type-map.js";
import { argumentChecks } from "./validate.js";
import { wireCopy } from "./wire-copy.js";

/** One wire message as printed. */
export interface MessageView {
  readonly name: string;
  readonly nameLit: string;
  /** The message name as a property key of `tx` / `rx` / the number table. */
  readonly key: string;
  readonly num: number;
  readonly doc: string;
  readonly sendMethod: string;
  /** The binding's lrpc send of this message (the direct call), apart so the word send stays small. */
  readonly lrpcSendMethod: string;
  readonly encodeFn: string;
  /** Parameters of the send method after `$token` (`val: bigint, s: string`). */
  readonly params: string;
  /** The same as a call's argument list (`val, s`). */
  readonly args: string;
  /** Parameters / arguments of the encoder (fixed-data arguments only). */
  readonly encodeParams: string;
  readonly encodeArgs: string;
  readonly hasFixed: boolean;
  readonly words: number;
  readonly lines: number;
  /** One line, no strings/arrays/caps: eligible for the zero-copy ring path. */
  readonly fastPath: boolean;
  /** Several lines, no strings/arrays/caps: written straight into consecutive ring lines when free. */
  readonly linesPath: boolean;
  readonly encode: readonly string[];
  /** Checks before sending (bounds of strings, arrays), preparing the overflow runs `$o<i>`. */
  readonly sendChecks: readonly string[];
  readonly ovfExpr: string;
  readonly capsExpr: string;
  /** The values handed to `sendValues` on lrpc (aggregates and byte arrays copied). */
  readonly lrpcArgs: string;
  /** Statements decoding word form into locals (fixed words, overflow runs, caps), with validation. */
  readonly decode: readonly string[];
  /** Statements taking value form (lrpc) into the same locals. */
  readonly lrpcDecode: readonly string[];
  /** The receiving binding's method taking this message's arguments directly (lrpc). */
  readonly recvMethod: string;
  /** Checks of the value form before dispatch (what the word decoder would reject). */
  readonly lrpcChecks: readonly string[];
  /** The arguments of a direct call of {@link recvMethod} after `$token` (copies of aggregates). */
  readonly lrpcCallArgs: string;
  /** Whether {@link dispatch} reads the local `$rx` (a plain message, not an rpc half). */
  readonly usesRx: boolean;
  /** Statements handing the decoded locals to the handler / rpc glue. */
  readonly dispatch: readonly string[];
  /** The WireMessageInfo literal. */
  readonly info: string;
}

/** One rpc as printed. */
export interface RpcView {
  readonly name: string;
  readonly nameLit: string;
  readonly key: string;
  readonly doc: string;
  readonly callNum: number;
  readonly callSend: string;
  readonly respSend: string;
  readonly serveMethod: string;
  readonly respondMethod: string;
  /** The condition that the server has no handler for this rpc. */
  readonly missing: string;
  /** In-parameters (client method and server handler). */
  readonly params: string;
  readonly args: string;
  /** `{ testout: bigint }` or `void`. */
  readonly outType: string;
  readonly hasOut: boolean;
  /** Arguments of the response send taken from the handler's result `$out`. */
  readonly outArgs: string;
}

/** Makes text safe inside a `/* ... *\/` or `//` comment. */
export function commentText(text: string): string {
  return text.replace(/\*\//g, "* /").replace(/[\r\n]+/g, " ");
}

/** Names every plain object inherits: a handler of that name is only "there" if it is not the inherited one. */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The condition that handler object `obj` provides no handler `name` of its own making. */
export function handlerMissing(obj: string, name: string): string {
  const none = `${obj}.${name} === undefined`;
  return INHERITED.has(name) ? `${none} || (${obj}.${name} as unknown) === Object.prototype.${name}` : none;
}

/** The condition that handler object `obj` really provides handler `name`. */
export function handlerPresent(obj: string, name: string): string {
  const own = `${obj}.${name} !== undefined`;
  return INHERITED.has(name) ? `${own} && (${obj}.${name} as unknown) !== Object.prototype.${name}` : own;
}

/** The printed name of an enum's member table. */
export function enumTable(name: string): string {
  return `$${name}_names`;
}

/** An argument as the .if file spells it, for doc comments. */
export function argSignature(a: Arg): string {
  if (a.kind === "string") return `String ${a.name}[${a.bound}]`;
  if (a.kind === "dynarray") return `${a.element.name} ${a.name}[${a.lengthName}, ${a.max}]`;
  return `${a.type.name} ${a.name}`;
}

/** Builds the view of one wire message from its layout. */
export function messageView(model: InterfaceModel, names: TypeNames, layout: MessageLayout): MessageView {
  const m: WireMessage = layout.message;
  const nameLit = stringLiteral(m.name);
  const taken = new Set<string>();
  const locals = m.args.map((a) => safeIdentifier(a.name, taken));
  const types = m.args.map((a) => argType(model, names, a));
  const params = m.args.map((_, i) => `${locals[i]}: ${types[i]}`);
  const fixedArgs = new Set(layout.fields.map((p) => p.argIndex));
  const fixedIdx = m.args.map((_, i) => i).filter((i) => fixedArgs.has(i));
  const codec = buildCodec(model, layout, locals, enumTable, (ref) => tsType(names, ref));

  // Types first (one check per value, the same on every transport), then sizes and encodings.
  const sendChecks = [
    ...argumentChecks(
      model,
      m.name,
      m.args.map((arg, i) => ({ local: locals[i] ?? "", arg })),
      enumTable,
    ),
  ];
  const capsExpr =
    layout.caps.length > 0
      ? `[${layout.caps.map((c) => accessPath(locals[c.argIndex] ?? "", c.path)).join(", ")}]`
      : "null";
  // After the type checks: the core's kernel refuses a cap the sender may not pass on (forged, no
  // GRANT) before any transport (lrpc's direct call included) moves the message.
  if (layout.caps.length > 0)
    sendChecks.push(
      `const $capFault = $rt.checkCaps(${capsExpr});`,
      "if ($capFault !== null) return Promise.reject($capFault);",
    );
  const decode = [...codec.decode];
  const ovf: string[] = [];
  if (layout.overflow.length > 0)
    decode.push(
      `if ($ovf.length !== ${layout.overflow.length}) return this.$faults.bad(${nameLit}, "", "wrong number of strings/arrays");`,
    );
  layout.overflow.forEach((o, j) => {
    const x = locals[o.argIndex] ?? "";
    const field = stringLiteral(o.arg);
    if (o.kind === "string") {
      sendChecks.push(`const $o${j} = $utf8.encode(${x});`);
      sendChecks.push(
        `if ($o${j}.length > ${o.maxBytes}) return this.$faults.tooBig(${nameLit}, ${field}, ${o.maxBytes}, $o${j}.length);`,
      );
      ovf.push(`$o${j}`);
      decode.push(`const $r${j} = $ovf[${j}]!;`);
      decode.push(
        `if ($r${j}.length > ${o.maxBytes}) return this.$faults.bad(${nameLit}, ${field}, "string longer than its bound");`,
      );
      decode.push(`const ${x} = $utf8Decode($r${j});`);
      decode.push(
        `if (${x} === undefined) return this.$faults.bad(${nameLit}, ${field}, "malformed UTF-8");`,
      );
    } else {
      sendChecks.push(
        `if (${x}.length > ${o.maxBytes}) return this.$faults.tooBig(${nameLit}, ${field}, ${o.maxBytes}, ${x}.length);`,
      );
      ovf.push(o.signed ? `new Uint8Array(${x}.buffer, ${x}.byteOffset, ${x}.length)` : x);
      decode.push(`const $r${j} = $ovf[${j}]!;`);
      decode.push(
        `if ($r${j}.length > ${o.maxBytes}) return this.$faults.bad(${nameLit}, ${field}, "array longer than its bound");`,
      );
      // No copy: the runtime hands each run over as a fresh array the receiver keeps.
      decode.push(
        o.signed
          ? `const ${x} = new Int8Array($r${j}.buffer, $r${j}.byteOffset, $r${j}.length);`
          : `const ${x} = $r${j};`,
      );
    }
  });
  if (layout.caps.length > 0)
    decode.push(
      `if ($caps.length !== ${layout.caps.length}) return this.$faults.bad(${nameLit}, "", "wrong number of capabilities");`,
    );
  // Struct fields that are caps are read from `$caps` where the codec rebuilds their struct.
  layout.caps.forEach((c, j) => {
    if (c.path.length === 0) decode.push(`const ${locals[c.argIndex]} = $caps[${j}]!;`);
  });

  const recvMethod = `$recv_${m.name}`;
  const lrpcDecode = [
    `if ($a.length !== ${m.args.length}) return this.$faults.bad(${nameLit}, "", "wrong number of arguments");`,
    `return this.${recvMethod}(${["$token", ...m.args.map((_, i) => `$a[${i}] as ${types[i]}`)].join(", ")});`,
  ];
  const lrpcArgs = m.args.map((a, i) => {
    const x = locals[i] ?? "";
    if (a.kind === "dynarray") return `$rt.copyBytes(${x})`;
    if (a.kind === "value") return wireCopy(model, a.type, x);
    return x;
  });
  // What the word decoder rejects and the lrpc copies pass on: enum names that are not members.
  const lrpcChecks = layout.fields.flatMap((p) =>
    p.scalar.kind !== "enum"
      ? []
      : [
          `if (!${enumTable(p.scalar.decl.name)}.includes(${accessPath(locals[p.argIndex] ?? "", p.path)})) return this.$faults.bad(${nameLit}, ${stringLiteral(p.arg)}, "enum value out of range");`,
        ],
  );

  const argList = locals.join(", ");
  let dispatch: string[];
  if (m.origin === "message")
    dispatch = [
      `if (${handlerPresent("$rx", m.name)}) this.$faults.after($rx.${m.name}(${argList}), ${nameLit});`,
    ];
  else if (m.origin === "call") dispatch = [`this.$serve_${m.rpc}(${["$token", ...locals].join(", ")});`];
  else {
    const outs = m.args.map((a, i) => `${propertyKey(a.name)}: ${locals[i]}`);
    const value = outs.length > 0 ? `{ ${outs.join(", ")} }` : "undefined";
    dispatch = [`this.$settle($token, ${m.number - 1}, ${nameLit}, ${value});`];
  }

  const doc = `${m.name}(${m.args.map(argSignature).join(", ")}): #${m.number}, ${layout.fixedFragments} line(s), ${layout.words} word(s)${layout.overflow.length > 0 ? `, ${layout.overflow.length} string/array run(s)` : ""}${layout.caps.length > 0 ? `, ${layout.caps.length} cap(s)` : ""}`;
  const info = `{ name: ${nameLit}, lines: ${layout.fixedFragments}, words: ${layout.words}, overflow: [${layout.overflow.map((o) => o.maxBytes).join(", ")}], caps: ${layout.caps.length} }`;
  return {
    name: m.name,
    nameLit,
    key: propertyKey(m.name),
    num: m.number,
    doc: commentText(doc),
    sendMethod: `$send_${m.name}`,
    lrpcSendMethod: `$lrpc_${m.name}`,
    encodeFn: `$enc_${m.name}`,
    params: params.join(", "),
    args: argList,
    encodeParams: fixedIdx.map((i) => `${locals[i]}: ${types[i]}`).join(", "),
    encodeArgs: fixedIdx.map((i) => locals[i]).join(", "),
    hasFixed: layout.words > 0,
    words: layout.words,
    lines: layout.fixedFragments,
    fastPath: layout.fixedFragments === 1 && layout.overflow.length === 0 && layout.caps.length === 0,
    linesPath: layout.fixedFragments > 1 && layout.overflow.length === 0 && layout.caps.length === 0,
    encode: codec.encode,
    sendChecks,
    ovfExpr: ovf.length > 0 ? `[${ovf.join(", ")}]` : "null",
    capsExpr,
    lrpcArgs: `[${lrpcArgs.join(", ")}]`,
    decode,
    lrpcDecode,
    recvMethod,
    lrpcCallArgs: lrpcArgs.join(", "),
    lrpcChecks,
    usesRx: m.origin === "message",
    dispatch,
    info,
  };
}
