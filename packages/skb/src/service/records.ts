/**
 * Records of skb.if's octopus calls (get/set/del/subscribe/publish), in a subset of Barrelfish's
 * octopus record syntax: `name { key: value, ... }`, a value being an integer, a float, an identifier
 * or a quoted string. A template (get, del, subscribe) may use `_` for the name or a value (anything
 * there) and names only the attributes it constrains. Records live in the engine as facts
 * `octopus_record(Name, [Key-Value, ...])` (attributes sorted by key), so `run()` sees them too.
 */

import { type PlString, plString, type Term } from "../engine/terms.js";
import { SkbError } from "../errors.js";

/** A value of an attribute. */
export type RecordValue = number | string | PlString;

/** A parsed record, or a template when `name` or values are `undefined` (written `_`). */
export interface OctopusRecord {
  readonly name: string | undefined;
  readonly attributes: readonly (readonly [key: string, value: RecordValue | undefined])[];
}

const IDENT = /[a-z][A-Za-z0-9_]*/y;
const NUMBER = /-?\d+(\.\d+)?([eE][-+]?\d+)?/y;

/**
 * Parses a record (`template: false`: no `_`) or a template. Errors are SYNTAX with the column;
 * the text is bounded by skb.if (2048 characters) before it gets here.
 */
export function parseRecord(text: string, template: boolean): OctopusRecord {
  let i = 0;
  const fail = (what: string): never => {
    throw new SkbError("SYNTAX", `record: ${what} at column ${i + 1}`, { column: i + 1 });
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null) return undefined;
    i += m[0].length;
    return m[0];
  };
  const wild = (): boolean => {
    if (text[i] !== "_" || /[A-Za-z0-9_]/.test(text[i + 1] ?? "")) return false;
    if (!template) fail("'_' only goes in a template (get, del, subscribe)");
    i++;
    return true;
  };
  const value = (): RecordValue | undefined => {
    if (wild()) return undefined;
    const q = text[i];
    if (q === "'" || q === '"') {
      let s = "";
      i++;
      while (i < text.length && text[i] !== q) {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        s += text[i];
        i++;
      }
      if (text[i] !== q) fail("unterminated string");
      i++;
      return plString(s);
    }
    const n = match(NUMBER);
    if (n !== undefined) {
      const v = Number(n);
      if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v)))
        fail(`number out of range: ${n}`);
      return v;
    }
    return match(IDENT) ?? fail("expected a value (number, identifier, quoted string)");
  };
  ws();
  const name = wild() ? undefined : (match(IDENT) ?? fail("expected a record name"));
  ws();
  const attributes: [string, RecordValue | undefined][] = [];
  if (text[i] === "{") {
    i++;
    ws();
    while (text[i] !== "}") {
      if (attributes.length > 0) {
        if (text[i] !== ",") fail("expected ',' or '}'");
        i++;
        ws();
      }
      const key = match(IDENT) ?? fail("expected an attribute name");
      if (attributes.some(([k]) => k === key)) fail(`attribute '${key}' given twice`);
      ws();
      if (text[i] !== ":") fail("expected ':'");
      i++;
      ws();
      attributes.push([key, value()]);
      ws();
      if (i >= text.length) fail("expected '}'");
    }
    i++;
    ws();
  }
  if (i < text.length) fail("unexpected text after the record");
  attributes.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { name, attributes };
}

/** The record as the terms of its fact: name (or a variable) and the [Key-Value] list. */
export function recordTerms(r: OctopusRecord): { readonly name: Term; readonly attributes: Term } {
  const v: Term = { kind: "var", name: "_" };
  return {
    name: r.name ?? v,
    attributes: r.attributes.map(([k, val]) => ({ kind: "compound", functor: "-", args: [k, val ?? v] })),
  };
}

/** A record fact's terms back as record text (`name { key: value, ... }`). */
export function formatRecord(name: Term, attributes: Term): string {
  if (typeof name !== "string" || !Array.isArray(attributes))
    throw new SkbError("BAD_ANSWER", "octopus_record/2 holds something that is not a record");
  const parts = (attributes as Term[]).map((a) => {
    const c = a as { kind?: string; args?: Term[] };
    if (c.kind !== "compound" || c.args?.length !== 2)
      throw new SkbError("BAD_ANSWER", "a record attribute is not Key-Value");
    return `${String(c.args[0])}: ${formatValue(c.args[1] as Term)}`;
  });
  return parts.length === 0 ? name : `${name} { ${parts.join(", ")} }`;
}

function formatValue(v: Term): string {
  if (typeof v === "number") return String(v);
  if (typeof v === "string")
    return /^[a-z][A-Za-z0-9_]*$/.test(v) ? v : `'${v.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  if (typeof v === "object" && v !== null && !Array.isArray(v) && (v as PlString).kind === "string")
    return `'${(v as PlString).text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  return String(v);
}
