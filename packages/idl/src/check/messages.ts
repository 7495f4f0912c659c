/**
 * Checks of messages and rpcs: names (including the `r_call`/`r_response` halves of each rpc),
 * arguments, and the conversion to the model's declarations.
 *
 * @packageDocumentation
 */
import type { ArgAst, Ident, MessageAst } from "../ast.js";
import { error } from "../diagnostics.js";
import type { Annotation, Arg, Diagnostic, MessageDecl, RpcArg, RpcDecl, Span } from "../model.js";
import type { TypeScope } from "./scope.js";
import { checkSize, legacyString, MAX_DYNAMIC_SIZE } from "./types.js";

/** Checks every message declaration; returns the model's decls (only those that checked). */
export function checkMessages(
  messages: readonly MessageAst[],
  scope: TypeScope,
  out: Diagnostic[],
): (MessageDecl | RpcDecl)[] {
  checkNames(messages, out);
  const result: (MessageDecl | RpcDecl)[] = [];
  for (const m of messages) {
    if (m.kind === "call" || m.kind === "response") {
      out.push(
        error(
          "legacy-call-response",
          `'${m.kind}' declarations are pre-2016 Flounder syntax: declare 'message NAME(...)', or pair a call and its response as 'rpc NAME(in ..., out ...)'`,
          m.keyword,
        ),
      );
      continue;
    }
    if (!m.name) continue;
    const annotations = m.annotations.flatMap((a) => annotation(a, out));
    if (m.kind === "message") {
      const args = checkArgs(m.args, "message", scope, out);
      if (args) result.push({ kind: "message", name: m.name.text, args, annotations, span: m.span });
    } else {
      const ins = checkArgs(
        m.args.filter((a) => a.direction !== "out"),
        "in",
        scope,
        out,
      );
      const outs = checkArgs(
        m.args.filter((a) => a.direction === "out"),
        "out",
        scope,
        out,
      );
      if (!ins || !outs) continue;
      // Back to declaration order (each list kept its relative order).
      const args: RpcArg[] = [];
      let i = 0;
      let o = 0;
      for (const a of m.args) {
        const arg = a.direction === "out" ? outs[o++] : ins[i++];
        if (arg) args.push({ direction: a.direction === "out" ? "out" : "in", arg });
      }
      result.push({ kind: "rpc", name: m.name.text, args, annotations, span: m.span });
    }
  }
  return result;
}

/** Every message name, rpc name and rpc half (`r_call`, `r_response`) must be unique. */
function checkNames(messages: readonly MessageAst[], out: Diagnostic[]): void {
  const declared = new Map<string, Span>();
  const halves = new Map<string, { rpc: string; span: Span }>();
  for (const m of messages) {
    if (!m.name || m.kind === "call" || m.kind === "response") continue;
    const name = m.name.text;
    const first = declared.get(name);
    if (first) {
      out.push(
        error("duplicate-message", `'${name}' is already declared at line ${first.line}`, m.name.span),
      );
      continue;
    }
    declared.set(name, m.name.span);
    if (m.kind === "rpc") {
      halves.set(`${name}_call`, { rpc: name, span: m.name.span });
      halves.set(`${name}_response`, { rpc: name, span: m.name.span });
    }
  }
  for (const m of messages) {
    if (!m.name || m.kind !== "message") continue;
    const half = halves.get(m.name.text);
    if (half && declared.get(m.name.text) === m.name.span) {
      out.push(
        error(
          "rpc-half-clash",
          `message '${m.name.text}' has the name of a half of rpc '${half.rpc}' (line ${half.span.line}), which travels as '${half.rpc}_call' and '${half.rpc}_response'`,
          m.name.span,
        ),
      );
    }
  }
}

/**
 * Checks the arguments of one wire message (a message, or the in- or out-half of an rpc): names
 * unique, types resolvable, brackets that fit the type. Returns undefined if any argument failed.
 */
function checkArgs(
  args: readonly ArgAst[],
  role: "message" | "in" | "out",
  scope: TypeScope,
  out: Diagnostic[],
): Arg[] | undefined {
  const names = new Map<string, Span>();
  for (const a of args) if (a.name && !names.has(a.name.text)) names.set(a.name.text, a.name.span);
  const seen = new Map<string, Span>();
  const lengthNames = new Map<string, Span>();
  const result: Arg[] = [];
  let ok = true;
  for (const a of args) {
    if (!a.name || !a.type) {
      ok = false;
      continue;
    }
    if (role === "message" && a.direction) {
      out.push(
        error(
          "direction-outside-rpc",
          `'${a.direction}' marks rpc arguments; a message's arguments have no direction`,
          a.span,
        ),
      );
      ok = false;
    } else if (role !== "message" && !a.direction) {
      out.push(
        error("missing-direction", `an rpc argument needs 'in' or 'out' before its type`, a.type.span),
      );
      ok = false;
    }
    const first = seen.get(a.name.text);
    if (first) {
      const where = role === "message" ? "" : ` among the ${role}-arguments`;
      out.push(
        error(
          "duplicate-argument",
          `argument '${a.name.text}' is already declared${where} at line ${first.line}, column ${first.col}`,
          a.name.span,
        ),
      );
      ok = false;
      continue;
    }
    seen.set(a.name.text, a.name.span);
    const arg = checkArg(a, a.type, a.name, names, lengthNames, scope, out);
    if (arg) result.push(arg);
    else ok = false;
  }
  return ok ? result : undefined;
}

function checkArg(
  a: ArgAst,
  type: Ident,
  nameIdent: Ident,
  names: ReadonlyMap<string, Span>,
  lengthNames: Map<string, Span>,
  scope: TypeScope,
  out: Diagnostic[],
): Arg | undefined {
  const name = nameIdent.text;
  const b = a.bracket;
  if (type.text === "string") {
    out.push(legacyString(type, name));
    return undefined;
  }
  if (type.text === "String") {
    if (!b || b.lengthName) {
      out.push(
        error(
          "unbounded-string",
          `String needs a bound: write 'String ${name}[N]' (a string of at most N-1 bytes)`,
          b?.lengthName ? b.span : nameIdent.span,
        ),
      );
      return undefined;
    }
    if (!b.size) return undefined; // the parser reported the broken bracket
    const bound = checkSize(b.size, MAX_DYNAMIC_SIZE, "a string bound", out);
    return bound === undefined ? undefined : { kind: "string", name, bound, span: a.span };
  }
  if (b && !b.lengthName) {
    out.push(
      error(
        "bracket-not-allowed",
        `only String takes a bound; for a fixed-size array declare 'typedef ${type.text} NAME[N];' and use NAME, for a dynamic one write '${type.text} ${name}[${name}_len, N]'`,
        b.span,
      ),
    );
    return undefined;
  }
  const ref = scope.use(type, out);
  if (!b) return ref && { kind: "value", name, type: ref, span: a.span };
  const lengthName = b.lengthName;
  if (!lengthName) return undefined;
  if (!b.size) {
    out.push(
      error(
        "legacy-dynamic-array",
        `'${type.text} ${name}[${lengthName.text}]' is pre-2016 Flounder syntax: give a maximum length, '${type.text} ${name}[${lengthName.text}, N]'`,
        b.span,
      ),
    );
    return undefined;
  }
  let ok = true;
  const clash = names.get(lengthName.text) ?? lengthNames.get(lengthName.text);
  if (clash) {
    out.push(
      error(
        "length-name-clash",
        `length name '${lengthName.text}' is already the name of an argument or length at line ${clash.line}, column ${clash.col}`,
        lengthName.span,
      ),
    );
    ok = false;
  }
  lengthNames.set(lengthName.text, lengthName.span);
  const max = checkSize(b.size, MAX_DYNAMIC_SIZE, "a dynamic array's maximum length", out);
  if (ref) {
    const builtin = scope.builtinOf(ref);
    if (builtin !== "uint8" && builtin !== "int8" && builtin !== "char") {
      out.push(
        error(
          "dynarray-element-type",
          `dynamic arrays carry bytes: the element type must be uint8, int8 or char (or an alias of one), not '${type.text}'`,
          type.span,
        ),
      );
      ok = false;
    }
  }
  if (!ref || max === undefined || !ok) return undefined;
  return { kind: "dynarray", name, element: ref, lengthName: lengthName.text, max, span: a.span };
}

/**
 * An annotation as the model keeps it. Numbers keep a leading `-` (Flounder's grammar has none; we
 * accept it rather than invent a rule) and must be exact integers.
 */
function annotation(a: MessageAst["annotations"][number], out: Diagnostic[]): Annotation[] {
  if (!a.name) return [];
  const params: { key: string; value: number | string }[] = [];
  for (const p of a.params) {
    if (!p.key || !p.value) continue;
    if (p.value.kind === "name") {
      params.push({ key: p.key.text, value: p.value.value.text });
      continue;
    }
    const n = p.value.value;
    if (!Number.isFinite(n.value)) {
      out.push(error("size-too-large", "an annotation value must be at most 2^53 - 1", n.span));
      continue;
    }
    params.push({ key: p.key.text, value: n.negative ? -n.value : n.value });
  }
  return [{ name: a.name.text, params, span: a.span }];
}
