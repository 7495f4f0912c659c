/**
 * Checks that turn query answers into typed values: a wrong shape is a BAD_ANSWER error naming the
 * query, never a silently wrong value.
 */
import type { PlCompound, Term } from "../engine/terms.js";
import { SkbError } from "../errors.js";

/** The value as a number (an integer or a float), else BAD_ANSWER. */
export function asNumber(t: Term | undefined, what: string): number {
  if (typeof t === "number") return t;
  throw new SkbError("BAD_ANSWER", `${what}: expected a number, got ${describe(t)}`);
}

/** The value as a safe integer, else BAD_ANSWER. */
export function asInt(t: Term | undefined, what: string): number {
  if (typeof t === "number" && Number.isSafeInteger(t)) return t;
  throw new SkbError("BAD_ANSWER", `${what}: expected an integer, got ${describe(t)}`);
}

/** The value as an atom, else BAD_ANSWER. */
export function asAtom(t: Term | undefined, what: string): string {
  if (typeof t === "string") return t;
  throw new SkbError("BAD_ANSWER", `${what}: expected an atom, got ${describe(t)}`);
}

/** The value as a proper list, else BAD_ANSWER. */
export function asList(t: Term | undefined, what: string): readonly Term[] {
  if (Array.isArray(t)) return t as readonly Term[];
  throw new SkbError("BAD_ANSWER", `${what}: expected a list, got ${describe(t)}`);
}

/** The value as a compound `functor/arity`, else BAD_ANSWER. */
export function asCompound(t: Term | undefined, functor: string, arity: number, what: string): PlCompound {
  if (
    typeof t === "object" &&
    t !== null &&
    !Array.isArray(t) &&
    (t as PlCompound).kind === "compound" &&
    (t as PlCompound).functor === functor &&
    (t as PlCompound).args.length === arity
  ) {
    return t as PlCompound;
  }
  throw new SkbError("BAD_ANSWER", `${what}: expected ${functor}/${arity}, got ${describe(t)}`);
}

/** True when `t` is a compound (of any functor). */
export function isCompoundTerm(t: Term | undefined): t is PlCompound {
  return typeof t === "object" && t !== null && !Array.isArray(t) && (t as PlCompound).kind === "compound";
}

function describe(t: Term | undefined): string {
  if (t === undefined) return "nothing";
  if (typeof t === "bigint") return `${t}n`;
  return JSON.stringify(t, (_k, v) => (typeof v === "bigint" ? `${v}n` : v));
}

/** Checks a core id argument before it goes into a query. */
export function checkCore(core: number, name = "core"): void {
  if (!Number.isSafeInteger(core) || core < 0) {
    throw new SkbError("BAD_ARGUMENT", `${name} must be a non-negative integer, got ${core}`);
  }
}
