/**
 * Facts as terms, and as the text of a Prolog fact file (board files, `shoal skb facts`).
 */
import { formatTerm, type PlCompound, type Term } from "../engine/terms.js";

/** A fact: a compound term (or an atom) of the SKB's vocabulary. */
export type Fact = PlCompound;

/** Builds a fact. */
export function fact(functor: string, ...args: Term[]): Fact {
  return { kind: "compound", functor, args };
}

/** One fact as a Prolog clause (with its full stop). */
export function factLine(f: Fact): string {
  return `${formatTerm(f)}.`;
}

/**
 * A fact file: a header comment, then the facts grouped by predicate (a blank line between groups),
 * in the order given within each group.
 */
export function factFile(header: readonly string[], facts: readonly Fact[]): string {
  const lines = header.map((h) => (h === "" ? "%" : `% ${h}`));
  let last = "";
  for (const f of facts) {
    const key = `${f.functor}/${f.args.length}`;
    if (key !== last) {
      lines.push("");
      last = key;
    }
    lines.push(factLine(f));
  }
  return `${lines.join("\n")}\n`;
}
