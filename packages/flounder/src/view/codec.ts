/**
 * Straight-line marshaling code for one message, from its layout: the statements of its word encoder
 * and of its word decoder (with validation). Templates print these lines as they are; this is the one
 * place that decides how a piece becomes a word and back.
 *
 * Conventions of the printed code: `$w`/`$b` are the word array and base index; `$u64`/`$i64` are
 * module-level 64-bit scratch views aliased with `$u32` (no BigInt arithmetic on the hot path);
 * `this.$faults.bad(message, field, why)` reports BAD_MESSAGE and the decoder returns.
 *
 * @packageDocumentation
 */
import type { InterfaceModel, TypeRef } from "@shoal/idl";
import { resolveType } from "@shoal/idl";
import { fixedWordAt, PAYLOAD_WORDS } from "@shoal/runtime";
import type { MessageLayout, PathStep, Piece } from "../layout.js";
import { propertyKey, stringLiteral } from "../names.js";

/** The code of one message's codec. */
export interface CodecView {
  /** Statements of `$enc_<msg>($w, $b, ...args)`. */
  readonly encode: readonly string[];
  /** Statements that decode and validate the fixed words into locals named after the arguments. */
  readonly decode: readonly string[];
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/**
 * Where payload word `k` lives: fixed words are in line layout everywhere (ring lines, the staging array,
 * port messages), so word `k` is word `k % 14` of line `k / 14`, lines 16 words apart. One encoder and one
 * decoder serve every transport, and a message of several lines decodes straight from the ring.
 */
function wordRef(k: number): string {
  const at = fixedWordAt(k);
  return at === 0 ? "$w[$b]" : `$w[$b + ${at}]`;
}

/** `pt.x`, `mask[1]!`, `pt.arr[0]!.y`: how the encoder reads a leaf of an argument. */
export function accessPath(root: string, path: readonly PathStep[]): string {
  let e = root;
  for (const s of path) {
    if (s.kind === "index") e += `[${s.index}]!`;
    else e += /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s.name) ? `.${s.name}` : `[${stringLiteral(s.name)}]`;
  }
  return e;
}

function pathKey(argIndex: number, path: readonly PathStep[]): string {
  return `${argIndex}|${path.map((s) => (s.kind === "index" ? `[${s.index}]` : `.${s.name}`)).join("")}`;
}

function globalWord(p: Piece): number {
  return p.frag * PAYLOAD_WORDS + p.word;
}

/** Groups pieces by global word index, in word order. */
function byWord(fields: readonly Piece[]): Map<number, Piece[]> {
  const words = new Map<number, Piece[]>();
  for (const p of fields) {
    const k = globalWord(p);
    const list = words.get(k);
    if (list === undefined) words.set(k, [p]);
    else list.push(p);
  }
  return words;
}

/** One encoded part of a word that holds pieces narrower than 32 bits (or a lone 32-bit value). */
function encodePart(p: Piece, x: string, enumNames: (name: string) => string): string {
  const s = p.scalar;
  if (s.kind === "bool") return `(${x} ? ${hex(2 ** p.bit)} : 0)`;
  if (s.kind === "enum") return `${enumNames(s.decl.name)}.indexOf(${x})`;
  if (p.width === 32) return x;
  const masked = `(${x} & ${hex(2 ** p.width - 1)})`;
  return p.bit === 0 ? masked : `(${masked} << ${p.bit})`;
}

/**
 * Builds the codec of one message. `locals[i]` is the local name of argument i (already escaped);
 * `enumNames(enum)` is the printed name of the enum's member table.
 */
export function buildCodec(
  model: InterfaceModel,
  layout: MessageLayout,
  locals: readonly string[],
  enumNames: (name: string) => string,
  tsTypeOf: (ref: TypeRef) => string,
): CodecView {
  const msg = stringLiteral(layout.message.name);
  const encode: string[] = [];
  const ref = wordRef;
  const decode: string[] = [];
  const local = (i: number): string => locals[i] ?? `$arg${i}`;

  // Encoder: word by word in packing order; a 64-bit value goes through the scratch views.
  for (const [k, pieces] of byWord(layout.fields)) {
    const first = pieces[0];
    if (first === undefined) continue;
    if (first.half !== undefined) {
      const x = accessPath(local(first.argIndex), first.path);
      const signed = first.scalar.kind === "int" && first.scalar.signed;
      if (first.half === 0) encode.push(`${signed ? "$i64" : "$u64"}[0] = ${x};`);
      encode.push(`${ref(k)} = $u32[${first.half}]!;`);
      continue;
    }
    const parts = pieces.map((p) => encodePart(p, accessPath(local(p.argIndex), p.path), enumNames));
    encode.push(`${ref(k)} = ${parts.join(" | ")};`);
  }

  // Decoder: leaves into locals, word by word; then aggregates assembled in declaration order.
  const leafLocal = new Map<string, string>();
  let tmp = 0;
  const leafName = (p: Piece): string => {
    const key = pathKey(p.argIndex, p.path);
    let n = leafLocal.get(key);
    if (n === undefined) {
      n = p.path.length === 0 ? local(p.argIndex) : `$v${tmp++}`;
      leafLocal.set(key, n);
    }
    return n;
  };
  const bad = (field: string, why: string): string =>
    `return this.$faults.bad(${msg}, ${stringLiteral(field)}, ${stringLiteral(why)});`;

  for (const [k, pieces] of byWord(layout.fields)) {
    const first = pieces[0];
    if (first === undefined) continue;
    if (first.half !== undefined) {
      decode.push(`$u32[${first.half}] = ${wordRef(k)}!;`);
      if (first.half === 1) {
        const signed = first.scalar.kind === "int" && first.scalar.signed;
        decode.push(`const ${leafName(first)} = ${signed ? "$i64" : "$u64"}[0]!;`);
      }
      continue;
    }
    if (pieces.length === 1 && first.width === 32) {
      const s = first.scalar;
      const name = leafName(first);
      if (s.kind === "enum") {
        decode.push(`const $e${k} = ${wordRef(k)}!;`);
        decode.push(`if ($e${k} >= ${s.decl.members.length}) ${bad(first.arg, "enum value out of range")}`);
        decode.push(`const ${name} = ${enumNames(s.decl.name)}[$e${k}]!;`);
      } else if (s.kind === "int" && s.signed) decode.push(`const ${name} = ${wordRef(k)}! | 0;`);
      else decode.push(`const ${name} = ${wordRef(k)}!;`);
      continue;
    }
    // A word shared by narrower pieces: read it once; bits that carry no piece must be zero.
    const wk = `$w${k}`;
    decode.push(`const ${wk} = ${wordRef(k)}!;`);
    let used = 0;
    for (const p of pieces) {
      const s = p.scalar;
      const name = leafName(p);
      used += 2 ** p.bit * (2 ** p.width - 1);
      const shifted = p.bit === 0 ? wk : `(${wk} >>> ${p.bit})`;
      if (s.kind === "bool") decode.push(`const ${name} = (${shifted} & 1) === 1;`);
      else if (s.kind === "int" && s.signed) {
        const up = 32 - p.width - p.bit;
        const left = up === 0 ? wk : `(${wk} << ${up})`;
        decode.push(`const ${name} = ${left} >> ${32 - p.width};`);
      } else if (p.bit + p.width === 32) decode.push(`const ${name} = ${wk} >>> ${p.bit};`);
      else decode.push(`const ${name} = ${shifted} & ${hex(2 ** p.width - 1)};`);
    }
    const unused = 0xffffffff - used;
    if (unused !== 0)
      decode.push(`if ((${wk} & ${hex(unused)}) !== 0) ${bad(first.arg, "unused bits are set")}`);
  }

  // Capability fields of struct arguments: rebuilt from the out-of-band list, by position.
  const capLeaf = new Map<string, string>();
  layout.caps.forEach((c, j) => {
    if (c.path.length > 0) capLeaf.set(pathKey(c.argIndex, c.path), `$caps[${j}]!`);
  });

  // Aggregates: struct and fixed-array arguments rebuilt from their leaves (their shapes are checked
  // before sending, in validate.ts).
  layout.message.args.forEach((arg, i) => {
    if (arg.kind !== "value") return;
    const t = resolveType(model, arg.type);
    if (t.kind !== "struct" && t.kind !== "array") return;
    const build = (ref: TypeRef, path: readonly PathStep[]): string => {
      const r = resolveType(model, ref);
      if (r.kind === "struct")
        return `{ ${r.fields.map((f) => `${propertyKey(f.name)}: ${build(f.type, [...path, { kind: "field", name: f.name }])}`).join(", ")} }`;
      if (r.kind === "array") {
        const items: string[] = [];
        for (let j = 0; j < r.length; j++)
          items.push(build(r.element, [...path, { kind: "index", index: j }]));
        return `[${items.join(", ")}]`;
      }
      const key = pathKey(i, path);
      return leafLocal.get(key) ?? capLeaf.get(key) ?? "undefined";
    };
    decode.push(`const ${local(i)}: ${tsTypeOf(arg.type)} = ${build(arg.type, [])};`);
  });
  return { encode, decode };
}
