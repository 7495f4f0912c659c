/**
 * The chevrotain parser of Flounder files (CST mode, error recovery on). One instance serves every
 * parse: `performSelfAnalysis` is costly, and a parse only resets `input`.
 *
 * Deviations from Barrelfish's Parsec grammar, all towards better diagnostics, never towards accepting
 * more: type declarations and messages may interleave and the pre-2016 `call`/`response` declarations
 * parse, so that the checker can say precisely what is wrong; sizes may carry a `-` so that the checker
 * can refuse them with a message rather than a parse error; arguments take any bracket (`[N]`,
 * `[len, N]`, the old `[len]`) and the checker decides what the type allows.
 *
 * @packageDocumentation
 */
import { CstParser, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
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

/** Messages in the words of the language, not of the parser ("expected ';' but found 'foo'"). */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${label(expected)} but found ${show(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${show(firstRedundant)} after the end of the interface`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const firsts = new Set<string>();
    for (const alt of expectedPathsPerAlt) for (const path of alt) if (path[0]) firsts.add(label(path[0]));
    const found = actual[0] ? show(actual[0]) : "the end of the file";
    return `expected ${[...firsts].join(" or ")} ${where(ruleName)}but found ${found}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const firsts = new Set<string>();
    for (const path of expectedIterationPaths) if (path[0]) firsts.add(label(path[0]));
    const found = actual[0] ? show(actual[0]) : "the end of the file";
    return `expected at least one ${[...firsts].join(" or ")} ${where(ruleName)}but found ${found}`;
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

/** The grammar. Rule names are the CST node names that `cst-to-ast.ts` reads. */
export class FlounderParser extends CstParser {
  constructor() {
    super(allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: "onlyOffset",
      errorMessageProvider: messages,
    });
    this.performSelfAnalysis();
  }

  /** `interface NAME [STRING] { item* } ;` */
  readonly interfaceFile = this.RULE("interfaceFile", () => {
    this.CONSUME(Interface);
    this.CONSUME(Name, { LABEL: "ifaceName" });
    this.OPTION(() => this.CONSUME(StringLit));
    this.CONSUME(LCurly);
    this.MANY(() => this.SUBRULE(this.item));
    this.CONSUME(RCurly);
    this.CONSUME(Semi);
  });

  /** An include file: type declarations only (messages parse, and the checker refuses them). */
  readonly includeFile = this.RULE("includeFile", () => {
    this.MANY(() => this.SUBRULE(this.item));
  });

  readonly item = this.RULE("item", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.aliasDecl) },
      { ALT: () => this.SUBRULE(this.typedef) },
      { ALT: () => this.SUBRULE(this.messageDecl) },
    ]);
  });

  /** `alias NAME TYPE ;` */
  readonly aliasDecl = this.RULE("aliasDecl", () => {
    this.CONSUME(Alias);
    this.CONSUME(Name, { LABEL: "newName" });
    this.CONSUME2(Name, { LABEL: "target" });
    this.CONSUME(Semi);
  });

  /** `typedef (struct {...} NAME | enum {...} NAME | TYPE NAME [N] | TYPE NAME) ;` */
  readonly typedef = this.RULE("typedef", () => {
    this.CONSUME(Typedef);
    this.OR({
      // `struct` and `enum` are also names; the second token (`{`) tells them apart.
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.structBody) },
        { ALT: () => this.SUBRULE(this.enumBody) },
        {
          ALT: () => {
            this.CONSUME(Name, { LABEL: "target" });
            this.CONSUME2(Name, { LABEL: "newName" });
            this.OPTION(() => {
              this.CONSUME(LSquare);
              this.SUBRULE(this.size);
              this.CONSUME(RSquare);
            });
          },
        },
      ],
    });
    this.CONSUME(Semi);
  });

  readonly structBody = this.RULE("structBody", () => {
    this.CONSUME(Struct);
    this.CONSUME(LCurly);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.structField));
    this.CONSUME(RCurly);
    this.CONSUME(Name, { LABEL: "newName" });
  });

  readonly structField = this.RULE("structField", () => {
    this.CONSUME(Name, { LABEL: "type" });
    this.CONSUME2(Name, { LABEL: "fieldName" });
    this.CONSUME(Semi);
  });

  readonly enumBody = this.RULE("enumBody", () => {
    this.CONSUME(Enum);
    this.CONSUME(LCurly);
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.CONSUME(Name, { LABEL: "member" }) });
    this.CONSUME(RCurly);
    this.CONSUME2(Name, { LABEL: "newName" });
  });

  /** `annotation* (message|rpc|call|response) NAME ( args ) ;` */
  readonly messageDecl = this.RULE("messageDecl", () => {
    this.MANY(() => this.SUBRULE(this.annotation));
    this.OR([
      { ALT: () => this.CONSUME(Message, { LABEL: "keyword" }) },
      { ALT: () => this.CONSUME(Rpc, { LABEL: "keyword" }) },
      { ALT: () => this.CONSUME(Call, { LABEL: "keyword" }) },
      { ALT: () => this.CONSUME(Response, { LABEL: "keyword" }) },
    ]);
    this.CONSUME(Name, { LABEL: "msgName" });
    this.CONSUME(LParen);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.arg) });
    this.CONSUME(RParen);
    this.CONSUME(Semi);
  });

  /** `[in|out] TYPE NAME [bracket]` (the checker requires the direction exactly inside an rpc). */
  readonly arg = this.RULE("arg", () => {
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(In, { LABEL: "direction" }) },
        { ALT: () => this.CONSUME(Out, { LABEL: "direction" }) },
      ]);
    });
    this.CONSUME(Name, { LABEL: "type" });
    this.CONSUME2(Name, { LABEL: "argName" });
    this.OPTION2(() => this.SUBRULE(this.argBracket));
  });

  /** `[N]`, `[len, N]` or the pre-2016 `[len]`. */
  readonly argBracket = this.RULE("argBracket", () => {
    this.CONSUME(LSquare);
    this.OR([
      { ALT: () => this.SUBRULE(this.size) },
      {
        ALT: () => {
          this.CONSUME(Name, { LABEL: "lengthName" });
          this.OPTION(() => {
            this.CONSUME(Comma);
            this.SUBRULE2(this.size);
          });
        },
      },
    ]);
    this.CONSUME(RSquare);
  });

  readonly size = this.RULE("size", () => {
    this.OPTION(() => this.CONSUME(Minus));
    this.CONSUME(NumberLit);
  });

  /** `@NAME ( [key = value (, key = value)*] )` */
  readonly annotation = this.RULE("annotation", () => {
    this.CONSUME(At);
    this.CONSUME(Name, { LABEL: "annName" });
    this.CONSUME(LParen);
    this.MANY_SEP({
      SEP: Comma,
      DEF: () => {
        this.CONSUME2(Name, { LABEL: "key" });
        this.CONSUME(Equals);
        this.OR([
          { ALT: () => this.SUBRULE(this.size, { LABEL: "numValue" }) },
          { ALT: () => this.CONSUME3(Name, { LABEL: "nameValue" }) },
        ]);
      },
    });
    this.CONSUME(RParen);
  });
}

/** The one parser instance (see the module comment). */
export const flounderParser = new FlounderParser();
