/**
 * Checks of a file's shape: the interface name against the file name, at least one message, type
 * declarations before messages, and include files holding only type declarations.
 *
 * @packageDocumentation
 */
import type { FileAst, ItemAst, MessageAst, TypeDeclAst } from "../ast.js";
import { error } from "../diagnostics.js";
import type { Diagnostic } from "../model.js";

/** Splits a file's items into type declarations and messages (both in source order). */
export function splitItems(ast: FileAst): { types: TypeDeclAst[]; messages: MessageAst[] } {
  const types: TypeDeclAst[] = [];
  const messages: MessageAst[] = [];
  for (const item of ast.items) {
    if (isMessage(item)) messages.push(item);
    else types.push(item);
  }
  return { types, messages };
}

/** True for message-like items (`message`, `rpc`, and the pre-2016 `call`/`response`). */
export function isMessage(item: ItemAst): item is MessageAst {
  return item.kind === "message" || item.kind === "rpc" || item.kind === "call" || item.kind === "response";
}

/** The file name without its directories. */
function fileOnly(file: string): string {
  return file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
}

/** The file name without directories and without its last extension (`a/b/foo.if` → `foo`). */
export function baseName(file: string): string {
  const base = fileOnly(file);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * Checks an interface file's shape. `syntaxOk` is false when the parser already reported errors: then
 * "no messages" is not claimed, since recovery may have dropped them.
 */
export function checkInterfaceShape(ast: FileAst, syntaxOk: boolean, out: Diagnostic[]): void {
  const name = ast.header?.name;
  const base = baseName(ast.file);
  // Names like "<stdin>" are not files; nothing to compare with.
  if (name && base !== "" && !ast.file.startsWith("<") && name.text !== base) {
    out.push(
      error(
        "interface-name-mismatch",
        `interface '${name.text}' must be in a file named '${name.text}.if' (Flounder names the interface after its file), not '${fileOnly(ast.file)}'`,
        name.span,
      ),
    );
  }
  const { messages } = splitItems(ast);
  if (messages.length === 0 && syntaxOk && ast.header) {
    out.push(
      error(
        "no-messages",
        `interface '${name?.text ?? ""}' declares no messages; declare at least one 'message' or 'rpc'`,
        name?.span ?? ast.header.span,
      ),
    );
  }
  checkOrder(ast, out);
}

/** Type declarations must all come before the first message, as Flounder's grammar requires. */
function checkOrder(ast: FileAst, out: Diagnostic[]): void {
  let firstMessage: MessageAst | undefined;
  for (const item of ast.items) {
    if (isMessage(item)) {
      firstMessage ??= item;
    } else if (firstMessage) {
      const what = firstMessage.name ? `'${firstMessage.name.text}' ` : "";
      out.push(
        error(
          "type-after-message",
          `type declarations must come before all messages; this one follows ${firstMessage.kind} ${what}at line ${firstMessage.keyword.line}`,
          item.span,
        ),
      );
    }
  }
}

/** An include file declares types only. */
export function checkIncludeShape(ast: FileAst, out: Diagnostic[]): void {
  for (const m of splitItems(ast).messages) {
    out.push(
      error(
        "include-has-messages",
        `an include file may only declare types (alias/typedef); move ${m.kind} '${m.name?.text ?? ""}' into an interface`,
        m.keyword,
      ),
    );
  }
}
