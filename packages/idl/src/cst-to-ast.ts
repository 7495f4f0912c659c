/**
 * Turns chevrotain's concrete syntax tree into the typed {@link FileAst}. Recovery may have inserted
 * tokens (no position, empty image) or cut nodes short; such parts become `undefined` here, so that the
 * checker never reports a second, invented error about text that is not there.
 *
 * @packageDocumentation
 */
import type { CstElement, CstNode, IToken } from "chevrotain";
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
import type { Span } from "./model.js";
import type { LineTable } from "./positions.js";

function isToken(e: CstElement | undefined): e is IToken {
  return e !== undefined && "image" in e;
}

/** Converts one file's CST; `lines` positions everything. */
export class CstToAst {
  constructor(private readonly lines: LineTable) {}

  /** The tree of an interface file (`cst` from `interfaceFile`) or of an include file (`includeFile`). */
  file(cst: CstNode | undefined): FileAst {
    const whole = this.lines.span(0, this.lines.textLength);
    if (cst === undefined) return { file: this.lines.file, items: [], span: whole };
    const items = this.nodes(cst, "item").flatMap((n) => this.item(n));
    if (cst.name !== "interfaceFile") return { file: this.lines.file, items, span: whole };
    const keyword = this.token(cst, "Interface");
    const name = this.ident(cst, "ifaceName");
    const descr = this.token(cst, "StringLit");
    const header = {
      ...(name ? { name } : {}),
      ...(descr ? { description: unquote(descr.image) } : {}),
      span: keyword ? this.tokenSpan(keyword) : this.lines.span(0, 0),
    };
    return { file: this.lines.file, header, items, span: whole };
  }

  private item(node: CstNode): ItemAst[] {
    const alias = this.node(node, "aliasDecl");
    if (alias) return [this.alias(alias)];
    const typedef = this.node(node, "typedef");
    if (typedef) {
      const t = this.typedef(typedef);
      return t ? [t] : [];
    }
    const msg = this.node(node, "messageDecl");
    if (msg) {
      const m = this.message(msg);
      return m ? [m] : [];
    }
    return [];
  }

  private alias(node: CstNode): TypeDeclAst {
    const name = this.ident(node, "newName");
    const target = this.ident(node, "target");
    return {
      kind: "alias",
      ...(name ? { name } : {}),
      ...(target ? { target } : {}),
      span: this.nodeSpan(node),
    };
  }

  private typedef(node: CstNode): TypeDeclAst | undefined {
    const span = this.nodeSpan(node);
    const struct = this.node(node, "structBody");
    if (struct) {
      const name = this.ident(struct, "newName");
      const fields = this.nodes(struct, "structField").map((f) => {
        const type = this.ident(f, "type");
        const fieldName = this.ident(f, "fieldName");
        return {
          ...(type ? { type } : {}),
          ...(fieldName ? { name: fieldName } : {}),
          span: this.nodeSpan(f),
        };
      });
      return { kind: "typedef-struct", ...(name ? { name } : {}), fields, span };
    }
    const enumBody = this.node(node, "enumBody");
    if (enumBody) {
      const name = this.ident(enumBody, "newName");
      const members = this.tokens(enumBody, "member").map((t) => this.identOf(t));
      return { kind: "typedef-enum", ...(name ? { name } : {}), members, span };
    }
    const name = this.ident(node, "newName");
    const target = this.ident(node, "target");
    if (this.token(node, "LSquare")) {
      const size = this.node(node, "size");
      const length = size ? this.size(size) : undefined;
      return {
        kind: "typedef-array",
        ...(name ? { name } : {}),
        ...(target ? { element: target } : {}),
        ...(length ? { length } : {}),
        span,
      };
    }
    if (!name && !target) return undefined;
    return { kind: "typedef-alias", ...(name ? { name } : {}), ...(target ? { target } : {}), span };
  }

  private message(node: CstNode): MessageAst | undefined {
    const keyword = this.token(node, "keyword");
    if (!keyword) return undefined;
    const kind = keyword.tokenType.name.toLowerCase() as MessageAst["kind"];
    const name = this.ident(node, "msgName");
    return {
      kind,
      ...(name ? { name } : {}),
      args: this.nodes(node, "arg").map((a) => this.arg(a)),
      annotations: this.nodes(node, "annotation").map((a) => this.annotation(a)),
      keyword: this.tokenSpan(keyword),
      span: this.nodeSpan(node),
    };
  }

  private arg(node: CstNode): ArgAst {
    const dir = this.token(node, "direction");
    const type = this.ident(node, "type");
    const name = this.ident(node, "argName");
    const b = this.node(node, "argBracket");
    let bracket: ArgBracketAst | undefined;
    if (b) {
      const lengthName = this.ident(b, "lengthName");
      const sizeNode = this.node(b, "size");
      const size = sizeNode ? this.size(sizeNode) : undefined;
      bracket = { ...(lengthName ? { lengthName } : {}), ...(size ? { size } : {}), span: this.nodeSpan(b) };
    }
    return {
      ...(dir ? { direction: dir.image === "in" ? "in" : "out" } : {}),
      ...(type ? { type } : {}),
      ...(name ? { name } : {}),
      ...(bracket ? { bracket } : {}),
      span: this.nodeSpan(node),
    };
  }

  private annotation(node: CstNode): AnnotationAst {
    const name = this.ident(node, "annName");
    const keys = this.tokens(node, "key");
    const nums = this.nodes(node, "numValue");
    const names = this.tokens(node, "nameValue");
    // Values of both kinds are matched back to their keys by position in the text.
    type Value = NonNullable<AnnotationAst["params"][number]["value"]>;
    const values: { at: number; value: Value }[] = [];
    for (const n of nums) {
      const v = this.size(n);
      if (v) values.push({ at: v.span.offset, value: { kind: "number", value: v } });
    }
    for (const t of names)
      values.push({ at: t.startOffset, value: { kind: "name", value: this.identOf(t) } });
    const params = keys.map((k, i) => {
      const next = keys[i + 1]?.startOffset ?? Number.POSITIVE_INFINITY;
      const v = values.find((x) => x.at > k.startOffset && x.at < next);
      return { key: this.identOf(k), ...(v ? { value: v.value } : {}) };
    });
    return { ...(name ? { name } : {}), params, span: this.nodeSpan(node) };
  }

  private size(node: CstNode): SizeLit | undefined {
    const num = this.token(node, "NumberLit");
    if (!num) return undefined;
    const minus = this.token(node, "Minus");
    const start = minus ? minus.startOffset : num.startOffset;
    return {
      value: parseNumber(num.image),
      negative: minus !== undefined,
      span: this.lines.span(start, num.startOffset + num.image.length - start),
    };
  }

  // ---- CST access: every getter ignores tokens that recovery inserted.

  private node(node: CstNode, key: string): CstNode | undefined {
    const e = node.children[key]?.[0];
    return e !== undefined && !isToken(e) ? e : undefined;
  }

  private nodes(node: CstNode, key: string): CstNode[] {
    return (node.children[key] ?? []).filter((e): e is CstNode => !isToken(e));
  }

  private token(node: CstNode, key: string): IToken | undefined {
    return this.tokens(node, key)[0];
  }

  private tokens(node: CstNode, key: string): IToken[] {
    return (node.children[key] ?? []).filter(
      (e): e is IToken => isToken(e) && e.isInsertedInRecovery !== true && Number.isFinite(e.startOffset),
    );
  }

  private ident(node: CstNode, key: string): Ident | undefined {
    const t = this.token(node, key);
    return t ? this.identOf(t) : undefined;
  }

  private identOf(t: IToken): Ident {
    return { text: t.image, span: this.tokenSpan(t) };
  }

  private tokenSpan(t: IToken): Span {
    return this.lines.span(t.startOffset, t.image.length);
  }

  private nodeStart(node: CstNode): number {
    const s = node.location?.startOffset;
    return s !== undefined && Number.isFinite(s) ? s : Number.NaN;
  }

  private nodeSpan(node: CstNode): Span {
    const start = this.nodeStart(node);
    if (!Number.isFinite(start)) return this.lines.span(this.lines.textLength, 0);
    const end = nodeEnd(node);
    return this.lines.span(start, end > start ? end - start : 1);
  }
}

/**
 * Offset just past the last real token under `node`. Computed here because the lexer tracks start
 * offsets only (cheaper), so chevrotain's own node locations have no end.
 */
function nodeEnd(node: CstNode): number {
  let end = Number.NEGATIVE_INFINITY;
  for (const key in node.children) {
    for (const e of node.children[key] ?? []) {
      if (isToken(e)) {
        if (e.isInsertedInRecovery !== true && Number.isFinite(e.startOffset)) {
          end = Math.max(end, e.startOffset + e.image.length);
        }
      } else {
        end = Math.max(end, nodeEnd(e));
      }
    }
  }
  return end;
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

function unquote(image: string): string {
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
