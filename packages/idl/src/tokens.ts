/**
 * The tokens of the Flounder language and its lexer (a module-level singleton: building a chevrotain
 * lexer analyses every pattern, so it is done once).
 *
 * Reserved words are those of Barrelfish's parser (`interface message rpc in out`). The other words
 * with a meaning (`alias typedef struct enum`, and the pre-2016 `call response`) are "soft": they belong
 * to the {@link Name} category so that they stay usable as argument or field names, as in Flounder.
 * Builtin type names (`uint32`, `iref`, `String`...) are plain identifiers: `iref iref` is a valid
 * argument, and which names are types is decided by the checker, not the lexer.
 *
 * @packageDocumentation
 */
import type { TokenType } from "chevrotain";
import { chevrotain } from "./chevrotain.js";

const { createToken, Lexer } = chevrotain;

/** Scans a block comment starting at `offset` (which holds slash-star). Comments nest, as in Flounder. */
export function scanBlockComment(text: string, offset: number): { end: number; terminated: boolean } {
  let depth = 0;
  let i = offset;
  const n = text.length;
  // A plain loop, not a regex: nested comments are not regular and a backtracking regex could blow up.
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      depth++;
      i += 2;
    } else if (c === 42 /* * */ && text.charCodeAt(i + 1) === 47 /* / */) {
      depth--;
      i += 2;
      if (depth === 0) return { end: i, terminated: true };
    } else {
      i++;
    }
  }
  return { end: n, terminated: false };
}

function matchBlockComment(text: string, offset: number): RegExpExecArray | null {
  if (text.charCodeAt(offset) !== 47 || text.charCodeAt(offset + 1) !== 42) return null;
  const { end } = scanBlockComment(text, offset);
  // chevrotain only reads element 0 (the image) of a custom pattern's result.
  return [text.slice(offset, end)] as unknown as RegExpExecArray;
}

/** Any token usable as a name: identifiers and the soft keywords. Abstract (never produced itself). */
export const Name = createToken({ name: "Name", pattern: Lexer.NA, label: "a name" });
/** A letter, then letters, digits, `_` or `'` (Flounder's javaStyle identifiers). */
export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z][A-Za-z0-9_']*/,
  categories: [Name],
  label: "a name",
});

function keyword(word: string, soft: boolean): TokenType {
  return createToken({
    name: word[0]?.toUpperCase() + word.slice(1),
    pattern: word,
    // "interfaces" or "int" must lex as one identifier, not a keyword and a rest.
    longer_alt: Identifier,
    label: `'${word}'`,
    ...(soft ? { categories: [Name] } : {}),
  });
}

export const Interface = keyword("interface", false);
export const Message = keyword("message", false);
export const Rpc = keyword("rpc", false);
export const In = keyword("in", false);
export const Out = keyword("out", false);
export const Alias = keyword("alias", true);
export const Typedef = keyword("typedef", true);
export const Struct = keyword("struct", true);
export const Enum = keyword("enum", true);
/** Pre-2016 Flounder: `call name(args);` (refused by the checker with its modern form). */
export const Call = keyword("call", true);
/** Pre-2016 Flounder: `response name(args);`. */
export const Response = keyword("response", true);

/** Decimal, `0x` hex or `0o` octal (a leading 0 alone is still decimal, as in Parsec's `natural`). */
export const NumberLit = createToken({
  name: "NumberLit",
  pattern: /0[xX][0-9a-fA-F]+|0[oO][0-7]+|[0-9]+/,
  label: "a number",
});
export const StringLit = createToken({
  name: "StringLit",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  label: "a string",
});
/**
 * A string literal missing its closing quote: matched to the end of the line, so that the lexer does
 * not retry from every quote inside it (which is quadratic on a long line of `\"`). Kept in the
 * `badStrings` group, out of the parser's way, and reported as `unterminated-string`.
 */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  group: "badStrings",
});
export const LCurly = createToken({ name: "LCurly", pattern: "{", label: "'{'" });
export const RCurly = createToken({ name: "RCurly", pattern: "}", label: "'}'" });
export const LParen = createToken({ name: "LParen", pattern: "(", label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: ")", label: "')'" });
export const LSquare = createToken({ name: "LSquare", pattern: "[", label: "'['" });
export const RSquare = createToken({ name: "RSquare", pattern: "]", label: "']'" });
export const Semi = createToken({ name: "Semi", pattern: ";", label: "';'" });
export const Comma = createToken({ name: "Comma", pattern: ",", label: "','" });
export const Equals = createToken({ name: "Equals", pattern: "=", label: "'='" });
export const At = createToken({ name: "At", pattern: "@", label: "'@'" });
/** Only meaningful before a size, where the checker reports it (sizes must be positive). */
export const Minus = createToken({ name: "Minus", pattern: "-", label: "'-'" });

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  // U+FEFF too: a byte-order mark at the start of a file is not an error.
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const LineComment = createToken({
  name: "LineComment",
  pattern: /\/\/[^\r\n]*/,
  group: Lexer.SKIPPED,
});
/** Kept in the `comments` group so that an unterminated comment can be reported. */
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: { exec: matchBlockComment },
  line_breaks: true,
  start_chars_hint: ["/"],
  group: "comments",
});

/** Every token, in matching order (comments before `/`-less tokens, keywords before identifiers). */
export const allTokens: TokenType[] = [
  WhiteSpace,
  BlockComment,
  LineComment,
  Interface,
  Message,
  Rpc,
  In,
  Out,
  Alias,
  Typedef,
  Struct,
  Enum,
  Call,
  Response,
  Identifier,
  Name,
  NumberLit,
  StringLit,
  UnterminatedString,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LSquare,
  RSquare,
  Semi,
  Comma,
  Equals,
  At,
  Minus,
];

/** The lexer, built once. Offsets only: lines and columns are computed from a line table on demand. */
export const flounderLexer = new Lexer(allTokens, {
  positionTracking: "onlyOffset",
  ensureOptimizations: false,
});
