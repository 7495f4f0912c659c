/**
 * Prolog terms as plain TypeScript values, and the two conversions the engine needs: decoding the
 * engine's JSON answer encoding, and writing a value back as Prolog text (for inputs and facts).
 *
 * Mapping: atom -> `string`; integer -> `number` when it is a safe integer, otherwise `bigint`; float
 * -> `number` (inf, nan included); proper list -> array; everything that has no plain counterpart is
 * an object discriminated by `kind`: Prolog strings, compound terms, partial lists, unbound variables,
 * rationals.
 */
import { SkbError } from "../errors.js";

/** A Prolog string (as opposed to an atom, which is a plain `string`). */
export interface PlString {
  readonly kind: "string";
  readonly text: string;
}
/** A compound term `functor(args...)`. */
export interface PlCompound {
  readonly kind: "compound";
  readonly functor: string;
  readonly args: readonly Term[];
}
/** A list whose tail is not `[]` (`[a, b | T]`). */
export interface PlPartialList {
  readonly kind: "partial_list";
  readonly items: readonly Term[];
  readonly tail: Term;
}
/** An unbound variable; `name` is the engine's name for it (`_123`), stable within one answer. */
export interface PlVar {
  readonly kind: "var";
  readonly name: string;
}
/** A rational number that is not an integer (`2r3`). */
export interface PlRational {
  readonly kind: "rational";
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** A Prolog term as a TypeScript value. */
export type Term =
  | string
  | number
  | bigint
  | readonly Term[]
  | PlString
  | PlCompound
  | PlPartialList
  | PlVar
  | PlRational;

/** One answer: each reported variable's value, by the variable's name. */
export type Bindings = Readonly<Record<string, Term>>;

/** Builds a compound term value. */
export function compound(functor: string, ...args: Term[]): PlCompound {
  return { kind: "compound", functor, args };
}
/** Builds a Prolog string value (an atom is a plain `string`). */
export function plString(text: string): PlString {
  return { kind: "string", text };
}

/** Decodes one term of the engine's JSON encoding (see prolog/runtime.pl). */
export function decodeTerm(j: unknown): Term {
  if (typeof j === "string" || typeof j === "number") return j;
  if (typeof j === "object" && j !== null && !Array.isArray(j)) {
    const o = j as Record<string, unknown>;
    if (typeof o.i === "string") return BigInt(o.i);
    if (typeof o.f === "string") return o.f === "inf" ? Infinity : o.f === "-inf" ? -Infinity : Number.NaN;
    if (typeof o.s === "string") return { kind: "string", text: o.s };
    if (Array.isArray(o.l)) return o.l.map(decodeTerm);
    if (Array.isArray(o.p))
      return { kind: "partial_list", items: o.p.map(decodeTerm), tail: decodeTerm(o.t) };
    if (typeof o.c === "string" && Array.isArray(o.a)) {
      return { kind: "compound", functor: o.c, args: o.a.map(decodeTerm) };
    }
    if (typeof o.v === "string") return { kind: "var", name: o.v };
    if (typeof o.r === "string") {
      const [n, d] = o.r.split("/");
      return { kind: "rational", numerator: BigInt(n ?? "0"), denominator: BigInt(d ?? "1") };
    }
  }
  throw new SkbError(
    "BAD_ANSWER",
    `the engine returned a term this wrapper cannot decode: ${JSON.stringify(j)}`,
  );
}

const SOLO_ATOM = /^[a-z][a-zA-Z0-9_]*$/;
const SYMBOL_ATOM = /^[+\-*/\\^<>=~:.?@#&$]+$/;

/** Writes an atom, quoted when Prolog would need quotes to read it back as the same atom. */
export function formatAtom(name: string): string {
  if (SOLO_ATOM.test(name) || (SYMBOL_ATOM.test(name) && name !== ".") || name === "[]" || name === "!") {
    return name;
  }
  return `'${escapeQuoted(name, "'")}'`;
}

function escapeQuoted(text: string, quote: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === quote) out += `\\${quote}`;
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16)}\\`;
    else out += ch;
  }
  return out;
}

/**
 * Writes `t` as Prolog text that reads back as the same term (variables excepted: each unbound
 * variable is written as a fresh `_`). Throws BAD_ARGUMENT for values Prolog cannot represent.
 */
export function formatTerm(t: Term): string {
  if (typeof t === "string") return formatAtom(t);
  if (typeof t === "bigint") return t < 0n ? `(${t})` : t.toString();
  if (typeof t === "number") {
    if (Number.isNaN(t)) return "nan";
    if (t === Infinity) return "inf";
    if (t === -Infinity) return "(-inf)";
    const s = Number.isInteger(t) && Math.abs(t) <= Number.MAX_SAFE_INTEGER ? String(t) : floatText(t);
    return t < 0 || Object.is(t, -0) ? `(${s})` : s;
  }
  if (isTermArray(t)) return `[${t.map(formatTerm).join(",")}]`;
  switch (t.kind) {
    case "string":
      return `"${escapeQuoted(t.text, '"')}"`;
    case "compound":
      if (t.args.length === 0) return `${formatAtom(t.functor)}()`;
      return `${formatAtom(t.functor)}(${t.args.map(formatTerm).join(",")})`;
    case "partial_list":
      return `[${t.items.map(formatTerm).join(",")}|${formatTerm(t.tail)}]`;
    case "var":
      return "_";
    case "rational":
      if (t.denominator === 0n) throw new SkbError("BAD_ARGUMENT", "a rational's denominator must not be 0");
      return `(${t.numerator} rdiv ${t.denominator})`;
  }
}

function floatText(n: number): string {
  const s = String(n);
  // Prolog needs a dot (or an exponent with a dot before it) to read a float.
  if (/[.]/.test(s)) return s.replace("e+", "e");
  return s.includes("e") ? s.replace(/e\+?/, ".0e") : `${s}.0`;
}

function isTermArray(t: Term): t is readonly Term[] {
  return Array.isArray(t);
}
