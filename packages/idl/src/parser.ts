/**
 * The chevrotain parser of Flounder files (error recovery on), building the typed AST with embedded
 * actions. One instance serves every parse: `performSelfAnalysis` is costly, and a parse only resets
 * `input`.
 *
 * Why embedded actions rather than a CST and a visitor: on a 3 MB file the CST alone took 250 MB and
 * its conversion doubled the parse time. Finished items are collected on the parser as they complete,
 * so that what was parsed survives when recovery gives up on the rest of the file.
 *
 * Deviations from Barrelfish's Parsec grammar, all towards better diagnostics, never towards accepting
 * more: type declarations and messages may interleave and the pre-2016 `call`/`response` declarations
 * parse, so that the checker can say precisely what is wrong; sizes may carry a `-` so that the checker
 * can refuse them with a message rather than a parse error; arguments take any bracket (`[N]`,
 * `[len, N]`, the old `[len]`) and the checker decides what the type allows.
 *
 * @packageDocumentation
 */
import type { IParserErrorMessageProvider, IRecognitionException, IToken, TokenType } from "chevrotain";
import type {
  AnnotationAst,
  ArgAst,
  ArgBracketAst,
  FileAst,
  Ident,
  ItemAst,
  MessageAst,
  SizeLit,
  TypeDeclAst,
} from "./ast.js";
import { type AstBuilder, isReal, unquote } from "./ast-builder.js";
import { chevrotain } from "./chevrotain.js";
import {
  Alias,
  At,
  allTokens,
  Call,
  Comma,
  Enum,
  Equals,
  In,
  Interface,
  LCurly,
  LParen,
  LSquare,
  Message,
  Minus,
  Name,
  NumberLit,
  Out,
  RCurly,
  Response,
  RParen,
  Rpc,
  RSquare,
  Semi,
  StringLit,
  Struct,
  Typedef,
} from "./tokens.js";

function show(token: IToken): string {
  if (token.tokenType.name === "EOF") return "the end of the file";
  const image = token.image.length > 20 ? `${token.image.slice(0, 20)}...` : token.image;
  return `'${image}'`;
}

function label(t: TokenType): string {
  return t.LABEL ?? t.name;
}

/** Words a misspelling is compared with (`messge` → "did you mean 'message'?"). */
const KEYWORDS = ["interface", "message", "rpc", "alias", "typedef", "struct", "enum", "in", "out"];

/** "; did you mean 'message'?" when `image` is one or two edits from a keyword, else "". */
export function keywordHint(token: IToken): string {
  const image = token.image;
  if (image.length < 3 || image.length > 12 || KEYWORDS.includes(image)) return "";
  for (const k of KEYWORDS) {
    if (k.length >= 4 && editDistanceAtMost2(image.toLowerCase(), k)) return `; did you mean '${k}'?`;
  }
  return "";
}

function editDistanceAtMost2(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return (prev[b.length] ?? 3) <= 2;
}

/** The first tokens of the alternatives, as words ('-' of an optional sign left out: it is noise). */
function firstsOf(paths: readonly (readonly TokenType[])[]): string {
  const firsts = new Set<string>();
  for (const path of paths) if (path[0] && path[0].name !== "Minus") firsts.add(label(path[0]));
  return [...firsts].join(" or ");
}

/** Messages in the words of the language, not of the parser ("expected ';' but found 'foo'"). */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    // The body's item loop ended on something that starts no item: say what could have come.
    if (ruleName === "interfaceFile" && expected.name === "RCurly" && actual.tokenType.name !== "EOF") {
      return `expected a type declaration, a message or '}' but found ${show(actual)}${keywordHint(actual)}`;
    }
    return `expected ${label(expected)} but found ${show(actual)}${keywordHint(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${show(firstRedundant)} after the end of the interface`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const found = actual[0] ? show(actual[0]) : "the end of the file";
    const hint = actual[0] ? keywordHint(actual[0]) : "";
    return `expected ${firstsOf(expectedPathsPerAlt.flat())} ${where(ruleName)}but found ${found}${hint}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const found = actual[0] ? show(actual[0]) : "the end of the file";
    return `expected at least one ${firstsOf(expectedIterationPaths)} ${where(ruleName)}but found ${found}`;
  },
};

function where(ruleName: string): string {
  switch (ruleName) {
    case "item":
      return "(a type declaration or a message) ";
    case "typedef":
      return "after 'typedef' ";
    case "structBody":
      return "in the struct ";
    case "argBracket":
      return "in the brackets ";
    default:
      return "";
  }
}

const { EmbeddedActionsParser } = chevrotain;

/** Thrown out of the parser when it has recorded enough errors: the rest would be noise (and slow). */
export class TooManySyntaxErrors extends Error {
  override readonly name = "TooManySyntaxErrors";
}

/** Syntax errors after which the parser stops (items parsed so far are kept). */
export const MAX_PARSE_ERRORS = 50;

const saveError = (
  EmbeddedActionsParser.prototype as unknown as {
    SAVE_ERROR(this: FlounderParser, e: IRecognitionException): IRecognitionException;
  }
).SAVE_ERROR;

/** What a parse collected: the interface header, if any, and the items that parsed, in order. */
export interface Collected {
  header?: FileAst["header"];
  items: ItemAst[];
}

/** The grammar, with actions that build the AST. Rule names appear in error messages only. */
export class FlounderParser extends EmbeddedActionsParser {
  /** Set by {@link parseTokens} for the duration of one parse. */
  #b: AstBuilder | undefined;
  #out: Collected = { items: [] };
  #stopped = false;

  constructor() {
    super(allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  /** Parses `tokens` as an interface or an include file; errors are left in `this.errors`. */
  parseTokens(tokens: IToken[], kind: "interface" | "include", builder: AstBuilder): Collected {
    this.#b = builder;
    this.#out = { items: [] };
    this.#stopped = false;
    this.input = tokens;
    try {
      if (kind === "interface") this.interfaceFile();
      else this.includeFile();
    } catch (e) {
      if (!(e instanceof TooManySyntaxErrors)) throw e;
    }
    const out = this.#out;
    this.#out = { items: [] };
    this.#b = undefined;
    return out;
  }

  /** Records an error, and stops the parse once there are too many (see {@link MAX_PARSE_ERRORS}). */
  protected SAVE_ERROR(error: IRecognitionException): IRecognitionException {
    // Once stopped, chevrotain's own end-of-parse check ("input left over") must not add an error.
    if (this.#stopped) return error;
    const saved = saveError.call(this, error);
    if (this.errors.length >= MAX_PARSE_ERRORS) {
      this.#stopped = true;
      throw new TooManySyntaxErrors();
    }
    return saved;
  }

  private get b(): AstBuilder {
    if (!this.#b) throw new Error("FlounderParser: parseTokens() sets the builder");
    return this.#b;
  }

  /** Offset of the next token (where a rule starts). */
  private here(): number {
    return this.LA(1).startOffset;
  }

  /** The last token consumed (where a rule ends). */
  private last(): IToken {
    return this.LA(0);
  }

  /** `interface NAME [STRING] { item* } ;` */
  readonly interfaceFile = this.RULE("interfaceFile", () => {
    const kw = this.CONSUME(Interface);
    const name = this.CONSUME(Name);
    const descr = this.OPTION(() => this.CONSUME(StringLit));
    this.ACTION(() => {
      // An inserted `interface` means the file does not start with one: a name after it is a guess.
      if (!isReal(kw)) return;
      const n = this.b.ident(name);
      this.#out.header = {
        ...(n ? { name: n } : {}),
        ...(isReal(descr) ? { description: unquote(descr.image) } : {}),
        span: this.b.tokenSpan(kw),
      };
    });
    this.CONSUME(LCurly);
    this.MANY(() => this.SUBRULE(this.item));
    this.CONSUME(RCurly);
    this.CONSUME(Semi);
  });

  /** An include file: type declarations only (messages parse, and the checker refuses them). */
  readonly includeFile = this.RULE("includeFile", () => {
    this.MANY(() => this.SUBRULE(this.item));
  });

  /** One declaration; collected as soon as it is complete. */
  readonly item = this.RULE("item", () => {
    const item = this.OR<ItemAst | undefined>([
      { ALT: () => this.SUBRULE(this.aliasDecl) },
      { ALT: () => this.SUBRULE(this.typedef) },
      { ALT: () => this.SUBRULE(this.messageDecl) },
    ]);
    this.ACTION(() => {
      if (item) this.#out.items.push(item);
    });
  });

  /** `alias NAME TYPE ;` */
  readonly aliasDecl = this.RULE("aliasDecl", (): TypeDeclAst => {
    const start = this.here();
    this.CONSUME(Alias);
    const name = this.CONSUME(Name);
    const target = this.CONSUME2(Name);
    this.CONSUME(Semi);
    return this.ACTION(() => {
      const n = this.b.ident(name);
      const t = this.b.ident(target);
      return {
        kind: "alias",
        ...(n ? { name: n } : {}),
        ...(t ? { target: t } : {}),
        span: this.b.spanFrom(start, this.last()),
      };
    });
  });

  /** `typedef (struct {...} NAME | enum {...} NAME | TYPE NAME [N] | TYPE NAME) ;` */
  readonly typedef = this.RULE("typedef", (): TypeDeclAst | undefined => {
    const start = this.here();
    this.CONSUME(Typedef);
    const decl = this.OR<(span: FileAst["span"]) => TypeDeclAst | undefined>({
      // `struct` and `enum` are also names; the second token (`{`) tells them apart.
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.structBody) },
        { ALT: () => this.SUBRULE(this.enumBody) },
        {
          ALT: () => {
            const target = this.CONSUME(Name);
            const name = this.CONSUME2(Name);
            const length = this.OPTION(() => {
              this.CONSUME(LSquare);
              const size = this.SUBRULE(this.size);
              this.CONSUME(RSquare);
              return { size };
            });
            return this.ACTION(() => (span: FileAst["span"]): TypeDeclAst | undefined => {
              const n = this.b.ident(name);
              const t = this.b.ident(target);
              if (length) {
                return {
                  kind: "typedef-array",
                  ...(n ? { name: n } : {}),
                  ...(t ? { element: t } : {}),
                  ...(length.size ? { length: length.size } : {}),
                  span,
                };
              }
              if (!n && !t) return undefined;
              return { kind: "typedef-alias", ...(n ? { name: n } : {}), ...(t ? { target: t } : {}), span };
            });
          },
        },
      ],
    });
    this.CONSUME(Semi);
    return this.ACTION(() => decl?.(this.b.spanFrom(start, this.last())));
  });

  readonly structBody = this.RULE("structBody", () => {
    this.CONSUME(Struct);
    this.CONSUME(LCurly);
    const fields: { type?: Ident; name?: Ident; span: FileAst["span"] }[] = [];
    this.AT_LEAST_ONE(() => {
      const start = this.here();
      const type = this.CONSUME(Name);
      const name = this.CONSUME2(Name);
      this.CONSUME(Semi);
      this.ACTION(() => {
        const t = this.b.ident(type);
        const n = this.b.ident(name);
        fields.push({
          ...(t ? { type: t } : {}),
          ...(n ? { name: n } : {}),
          span: this.b.spanFrom(start, this.last()),
        });
      });
    });
    this.CONSUME(RCurly);
    const name = this.CONSUME3(Name);
    return this.ACTION(() => (span: FileAst["span"]): TypeDeclAst => {
      const n = this.b.ident(name);
      return { kind: "typedef-struct", ...(n ? { name: n } : {}), fields, span };
    });
  });

  readonly enumBody = this.RULE("enumBody", () => {
    this.CONSUME(Enum);
    this.CONSUME(LCurly);
    const members: IToken[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => members.push(this.CONSUME(Name)) });
    this.CONSUME(RCurly);
    const name = this.CONSUME2(Name);
    return this.ACTION(() => (span: FileAst["span"]): TypeDeclAst => {
      const n = this.b.ident(name);
      const ms = members.flatMap((m) => this.b.ident(m) ?? []);
      return { kind: "typedef-enum", ...(n ? { name: n } : {}), members: ms, span };
    });
  });

  /** `annotation* (message|rpc|call|response) NAME ( args ) ;` */
  readonly messageDecl = this.RULE("messageDecl", (): MessageAst | undefined => {
    const start = this.here();
    const annotations: (AnnotationAst | undefined)[] = [];
    this.MANY(() => annotations.push(this.SUBRULE(this.annotation)));
    const kw = this.OR([
      { ALT: () => this.CONSUME(Message) },
      { ALT: () => this.CONSUME(Rpc) },
      { ALT: () => this.CONSUME(Call) },
      { ALT: () => this.CONSUME(Response) },
    ]);
    const name = this.CONSUME(Name);
    this.CONSUME(LParen);
    const args: (ArgAst | undefined)[] = [];
    this.MANY_SEP({ SEP: Comma, DEF: () => args.push(this.SUBRULE(this.arg)) });
    this.CONSUME(RParen);
    this.CONSUME(Semi);
    return this.ACTION(() => {
      if (!isReal(kw)) return undefined;
      const n = this.b.ident(name);
      return {
        kind: kw.tokenType.name.toLowerCase() as MessageAst["kind"],
        ...(n ? { name: n } : {}),
        args: args.filter((a): a is ArgAst => a !== undefined),
        annotations: annotations.filter((a): a is AnnotationAst => a !== undefined),
        keyword: this.b.tokenSpan(kw),
        span: this.b.spanFrom(start, this.last()),
      };
    });
  });

  /** `[in|out] TYPE NAME [bracket]` (the checker requires the direction exactly inside an rpc). */
  readonly arg = this.RULE("arg", (): ArgAst => {
    const start = this.here();
    const dir = this.OPTION(() =>
      this.OR([{ ALT: () => this.CONSUME(In) }, { ALT: () => this.CONSUME(Out) }]),
    );
    const type = this.CONSUME(Name);
    const name = this.CONSUME2(Name);
    const bracket = this.OPTION2(() => this.SUBRULE(this.argBracket));
    return this.ACTION(() => {
      const t = this.b.ident(type);
      const n = this.b.ident(name);
      return {
        ...(isReal(dir) ? { direction: dir.image === "in" ? ("in" as const) : ("out" as const) } : {}),
        ...(t ? { type: t } : {}),
        ...(n ? { name: n } : {}),
        ...(bracket ? { bracket } : {}),
        span: this.b.spanFrom(start, this.last()),
      };
    });
  });

  /** `[N]`, `[len, N]` or the pre-2016 `[len]`. */
  readonly argBracket = this.RULE("argBracket", (): ArgBracketAst => {
    const start = this.here();
    this.CONSUME(LSquare);
    const inside = this.OR<{ len?: IToken; size?: SizeLit | undefined }>([
      { ALT: () => ({ size: this.SUBRULE(this.size) }) },
      {
        ALT: () => {
          const len = this.CONSUME(Name);
          const size = this.OPTION(() => {
            this.CONSUME(Comma);
            return this.SUBRULE2(this.size);
          });
          return { len, size };
        },
      },
    ]);
    this.CONSUME(RSquare);
    return this.ACTION(() => {
      const len = this.b.ident(inside?.len);
      return {
        ...(len ? { lengthName: len } : {}),
        ...(inside?.size ? { size: inside.size } : {}),
        span: this.b.spanFrom(start, this.last()),
      };
    });
  });

  readonly size = this.RULE("size", (): SizeLit | undefined => {
    const minus = this.OPTION(() => this.CONSUME(Minus));
    const num = this.CONSUME(NumberLit);
    return this.ACTION(() => this.b.size(minus, num));
  });

  /** `@NAME ( [key = value (, key = value)*] )` */
  readonly annotation = this.RULE("annotation", (): AnnotationAst => {
    const start = this.here();
    this.CONSUME(At);
    const name = this.CONSUME(Name);
    this.CONSUME(LParen);
    const params: AnnotationAst["params"][number][] = [];
    this.MANY_SEP({
      SEP: Comma,
      DEF: () => {
        const key = this.CONSUME2(Name);
        this.CONSUME(Equals);
        const value = this.OR<AnnotationAst["params"][number]["value"]>([
          {
            ALT: () => {
              const v = this.SUBRULE(this.size);
              return this.ACTION(() => (v ? { kind: "number" as const, value: v } : undefined));
            },
          },
          {
            ALT: () => {
              const v = this.CONSUME3(Name);
              return this.ACTION(() => {
                const id = this.b.ident(v);
                return id ? { kind: "name" as const, value: id } : undefined;
              });
            },
          },
        ]);
        this.ACTION(() => {
          const k = this.b.ident(key);
          params.push({ ...(k ? { key: k } : {}), ...(value ? { value } : {}) });
        });
      },
    });
    this.CONSUME(RParen);
    return this.ACTION(() => {
      const n = this.b.ident(name);
      return { ...(n ? { name: n } : {}), params, span: this.b.spanFrom(start, this.last()) };
    });
  });
}

/** The one parser instance (see the module comment). */
export const flounderParser = new FlounderParser();
