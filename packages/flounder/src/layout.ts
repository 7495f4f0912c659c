/**
 * The URPC marshaling plan (Flounder's UMP layout on 32-bit words), computed once per message and used
 * by every backend, by `flounder layout` and by the tests.
 *
 * 1. Fixed arguments are expanded in declaration order into pieces: struct fields in order, fixed-array
 *    elements in order, enums as 32 bits, aliases as their base type; a 64-bit value becomes two 32-bit
 *    pieces, low half first; bool is 1 bit, 8-bit types 8 bits, and so on.
 * 2. The pieces are stably sorted by width, ascending.
 * 3. They are packed greedily: a piece goes into the current word if it fits, else it starts a new word;
 *    after PAYLOAD_WORDS words a new line (fragment) starts.
 * 4. A message with no fixed data and no strings/arrays still sends one empty line; one with only
 *    strings/arrays sends no fixed line. Strings and dynamic arrays follow as overflow runs; capabilities
 *    travel out of band, in argument order and, inside a struct, in field order (as Flounder's
 *    `CapFieldTransfer` does), each named by its path (`arg.field`).
 *
 * @packageDocumentation
 */
import type { Arg, BuiltinName, EnumDecl, InterfaceModel, TypeRef, WireMessage } from "@shoal/idl";
import { resolveType } from "@shoal/idl";
import { PAYLOAD_WORDS } from "@shoal/runtime";
import { GenerateError } from "./errors.js";

/** A leaf value that occupies bits of a word. */
export type Scalar =
  | { readonly kind: "int"; readonly bits: 8 | 16 | 32 | 64; readonly signed: boolean }
  | { readonly kind: "bool" }
  | { readonly kind: "enum"; readonly decl: EnumDecl };

/** One step from an argument to a leaf: a struct field or a fixed-array element. */
export type PathStep =
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "index"; readonly index: number };

/** A piece of fixed data and where it lies. `word` counts within its fragment; `bit` from the LSB. */
export interface Piece {
  /** `name`, `name.field` or `name[i]` (both halves of a 64-bit value carry the same name). */
  readonly arg: string;
  /** Index of the argument in the wire message's argument list. */
  readonly argIndex: number;
  readonly path: readonly PathStep[];
  readonly scalar: Scalar;
  /** Bits this piece occupies (a 64-bit value is two pieces of 32). */
  readonly width: number;
  /** For the two pieces of a 64-bit value: 0 for the low half, 1 for the high half. */
  readonly half: 0 | 1 | undefined;
  readonly frag: number;
  readonly word: number;
  readonly bit: number;
}

/** A string or dynamic array: one overflow run, in argument order. */
export interface OverflowRun {
  readonly arg: string;
  readonly argIndex: number;
  readonly kind: "string" | "bytes";
  /** For strings the declared bound N (at most N-1 bytes travel); for arrays the maximum element count. */
  readonly bound: number;
  /** The most bytes the run can carry. */
  readonly maxBytes: number;
  /** Byte arrays: whether elements are signed (Int8Array). */
  readonly signed: boolean;
}

/** A capability, carried out of band: an argument, or a field (at any depth) of a struct argument. */
export interface CapArg {
  /** `name` for an argument, `name.field` (`name.inner.field`) for a struct field. */
  readonly arg: string;
  readonly argIndex: number;
  /** From the argument to the field; empty for a capability argument. Never an array index. */
  readonly path: readonly PathStep[];
  readonly giveAway: boolean;
}

/** The marshaling plan of one wire message. */
export interface MessageLayout {
  readonly message: WireMessage;
  /** Lines of fixed data (0 when the message has only strings/arrays). */
  readonly fixedFragments: number;
  /** Payload words used, counted contiguously across lines (fragment f, word w is word f*14+w). */
  readonly words: number;
  /** Pieces in packing order. */
  readonly fields: readonly Piece[];
  readonly overflow: readonly OverflowRun[];
  readonly caps: readonly CapArg[];
}

/** Bits, signedness and kind of each builtin that travels in the lines. */
const BUILTIN_SCALARS: Readonly<Record<BuiltinName, Scalar | "cap">> = {
  uint8: { kind: "int", bits: 8, signed: false },
  uint16: { kind: "int", bits: 16, signed: false },
  uint32: { kind: "int", bits: 32, signed: false },
  uint64: { kind: "int", bits: 64, signed: false },
  uintptr: { kind: "int", bits: 64, signed: false },
  size: { kind: "int", bits: 64, signed: false },
  int8: { kind: "int", bits: 8, signed: true },
  int16: { kind: "int", bits: 16, signed: true },
  int32: { kind: "int", bits: 32, signed: true },
  int64: { kind: "int", bits: 64, signed: true },
  intptr: { kind: "int", bits: 64, signed: true },
  char: { kind: "int", bits: 8, signed: false },
  bool: { kind: "bool" },
  iref: { kind: "int", bits: 32, signed: false },
  errval: { kind: "int", bits: 32, signed: false },
  cap: "cap",
  give_away_cap: "cap",
};

/** The scalar behind a builtin, or "cap". */
export function builtinScalar(name: BuiltinName): Scalar | "cap" {
  return BUILTIN_SCALARS[name];
}

/** Width in bits of a scalar (64-bit values are split into two pieces later). */
export function scalarBits(s: Scalar): number {
  return s.kind === "bool" ? 1 : s.kind === "enum" ? 32 : s.bits;
}

interface Unplaced {
  readonly arg: string;
  readonly argIndex: number;
  readonly path: readonly PathStep[];
  readonly scalar: Scalar;
  readonly width: number;
  readonly half: 0 | 1 | undefined;
}

/**
 * Expands one fixed-size value into pieces (rule 1); the capabilities among its struct fields go to
 * `caps`, in field order. A capability inside a fixed array is refused, as the checker refuses it
 * (Flounder allows it; no interface of the corpus needs it).
 */
function expand(
  model: InterfaceModel,
  ref: TypeRef,
  name: string,
  argIndex: number,
  path: readonly PathStep[],
  out: Unplaced[],
  caps: CapArg[],
): void {
  const t = resolveType(model, ref);
  switch (t.kind) {
    case "builtin": {
      const s = builtinScalar(t.name);
      if (s === "cap") {
        if (path.some((step) => step.kind === "index"))
          throw new GenerateError(
            "unsupported-type",
            `'${name}': a capability cannot be part of a fixed array`,
          );
        caps.push({ arg: name, argIndex, path, giveAway: t.name === "give_away_cap" });
        return;
      }
      if (s.kind === "int" && s.bits === 64) {
        out.push({ arg: name, argIndex, path, scalar: s, width: 32, half: 0 });
        out.push({ arg: name, argIndex, path, scalar: s, width: 32, half: 1 });
      } else out.push({ arg: name, argIndex, path, scalar: s, width: scalarBits(s), half: undefined });
      return;
    }
    case "enum":
      out.push({ arg: name, argIndex, path, scalar: { kind: "enum", decl: t }, width: 32, half: undefined });
      return;
    case "struct":
      for (const f of t.fields)
        expand(
          model,
          f.type,
          `${name}.${f.name}`,
          argIndex,
          [...path, { kind: "field", name: f.name }],
          out,
          caps,
        );
      return;
    case "array":
      for (let i = 0; i < t.length; i++)
        expand(
          model,
          t.element,
          `${name}[${i}]`,
          argIndex,
          [...path, { kind: "index", index: i }],
          out,
          caps,
        );
      return;
  }
}

/** Element signedness of a dynamic array, which must resolve to an 8-bit integer type. */
function byteElement(model: InterfaceModel, arg: Arg & { kind: "dynarray" }): { signed: boolean } {
  const t = resolveType(model, arg.element);
  if (t.kind === "builtin") {
    const s = builtinScalar(t.name);
    if (s !== "cap" && s.kind === "int" && s.bits === 8) return { signed: s.signed };
  }
  throw new GenerateError(
    "unsupported-type",
    `'${arg.name}': dynamic arrays must have 8-bit elements (uint8, int8, char or an alias of them)`,
  );
}

/** Whether a value argument is a capability (after following aliases). */
export function isCapArg(model: InterfaceModel, ref: TypeRef): { giveAway: boolean } | undefined {
  const t = resolveType(model, ref);
  if (t.kind !== "builtin") return undefined;
  if (t.name === "cap") return { giveAway: false };
  if (t.name === "give_away_cap") return { giveAway: true };
  return undefined;
}

/** Computes the plan of one wire message. Throws GenerateError for constructs shoal cannot carry. */
export function layoutMessage(model: InterfaceModel, message: WireMessage): MessageLayout {
  const pieces: Unplaced[] = [];
  const overflow: OverflowRun[] = [];
  const caps: CapArg[] = [];
  message.args.forEach((arg, argIndex) => {
    if (arg.kind === "string") {
      overflow.push({
        arg: arg.name,
        argIndex,
        kind: "string",
        bound: arg.bound,
        maxBytes: Math.max(0, arg.bound - 1),
        signed: false,
      });
    } else if (arg.kind === "dynarray") {
      const { signed } = byteElement(model, arg);
      overflow.push({ arg: arg.name, argIndex, kind: "bytes", bound: arg.max, maxBytes: arg.max, signed });
    } else {
      const cap = isCapArg(model, arg.type);
      if (cap !== undefined) caps.push({ arg: arg.name, argIndex, path: [], giveAway: cap.giveAway });
      else expand(model, arg.type, arg.name, argIndex, [], pieces, caps);
    }
  });

  // Rule 2: Array.prototype.sort is stable, so equal widths keep declaration order.
  const sorted = [...pieces].sort((a, b) => a.width - b.width);

  // Rule 3: greedy packing. `word` is global here and split into fragment/word below.
  const placed: Piece[] = [];
  let word = -1;
  let bit = 32;
  for (const p of sorted) {
    if (bit + p.width > 32) {
      word += 1;
      bit = 0;
    }
    placed.push({
      ...p,
      frag: Math.floor(word / PAYLOAD_WORDS),
      word: word % PAYLOAD_WORDS,
      bit,
    });
    bit += p.width;
  }
  const words = word + 1;
  // Rule 4: an empty message still sends one line; a message of only strings/arrays sends none.
  const fixedFragments = words > 0 ? Math.ceil(words / PAYLOAD_WORDS) : overflow.length > 0 ? 0 : 1;
  return { message, fixedFragments, words, fields: placed, overflow, caps };
}

/** The plans of every wire message of an interface, in message-number order. */
export function layoutInterface(model: InterfaceModel): readonly MessageLayout[] {
  return model.messages.map((m) => layoutMessage(model, m));
}
