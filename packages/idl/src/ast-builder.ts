/**
 * Small constructors the parser's embedded actions use to build the typed AST from tokens. Tokens that
 * error recovery inserted (empty image, no offset) become `undefined`, so that the checker never
 * reports a second, invented error about text that is not there.
 *
 * @packageDocumentation
 */
import type { IToken } from "chevrotain";
import type { Ident, SizeLit } from "./ast.js";
import type { Span } from "./model.js";
import type { LineTable } from "./positions.js";

/** True for a token that is really in the text (not inserted by recovery). */
export function isReal(t: IToken | undefined): t is IToken {
  return (
    t !== undefined && t.isInsertedInRecovery !== true && Number.isFinite(t.startOffset) && t.image !== ""
  );
}

/** Builds AST leaves for one source text. */
export class AstBuilder {
  constructor(readonly lines: LineTable) {}

  /** The span of a token. */
  tokenSpan(t: IToken): Span {
    return this.lines.span(t.startOffset, t.image.length);
  }

  /** A name, or undefined for a missing one. */
  ident(t: IToken | undefined): Ident | undefined {
    return isReal(t) ? { text: t.image, span: this.tokenSpan(t) } : undefined;
  }

  /** A size literal (`-` optional), or undefined if the number is missing. */
  size(minus: IToken | undefined, num: IToken | undefined): SizeLit | undefined {
    if (!isReal(num)) return undefined;
    const start = isReal(minus) ? minus.startOffset : num.startOffset;
    return {
      value: parseNumber(num.image),
      negative: isReal(minus),
      span: this.lines.span(start, num.startOffset + num.image.length - start),
    };
  }

  /** The span from offset `start` to just past token `last` (a rule's extent). */
  spanFrom(start: number, last: IToken | undefined): Span {
    if (!Number.isFinite(start)) return this.lines.span(this.lines.textLength, 0);
    const end = isReal(last) ? last.startOffset + last.image.length : start + 1;
    return this.lines.span(start, end > start ? end - start : 1);
  }
}

/** The value of a number literal; `Infinity` if it is not exactly representable. */
export function parseNumber(image: string): number {
  const lower = image.toLowerCase();
  let value: number;
  if (lower.startsWith("0x")) value = Number.parseInt(lower.slice(2), 16);
  else if (lower.startsWith("0o")) value = Number.parseInt(lower.slice(2), 8);
  else value = Number.parseInt(lower, 10);
  return Number.isSafeInteger(value) ? value : Number.POSITIVE_INFINITY;
}

/** The text of a string literal without quotes, escapes resolved as Parsec's `stringLiteral` does for the common ones. */
export function unquote(image: string): string {
  return image.slice(1, -1).replace(/\\(.)/g, (_, c: string) => {
    switch (c) {
      case "n":
        return "\n";
      case "t":
        return "\t";
      default:
        return c;
    }
  });
}
