/**
 * The view model of one generated file: everything the templates print, computed once. Templates only
 * iterate over these lists and print the strings.
 *
 * @packageDocumentation
 */
import type { InterfaceModel, TypeDecl } from "@shoal/idl";
import { PAYLOAD_WORDS, stagedLength } from "@shoal/runtime";
import { fingerprint } from "../fingerprint.js";
import { layoutInterface } from "../layout.js";
import { type ExportNames, exportNames, propertyKey, stringLiteral } from "../names.js";
import {
  argSignature,
  commentText,
  enumTable,
  handlerMissing,
  type MessageView,
  messageView,
  type RpcView,
} from "./message-view.js";
import { argType, printedTypes, TypeNames, tsType } from "./type-map.js";

export type { MessageView, RpcView } from "./message-view.js";

/** A declared type as printed. */
export interface TypeView {
  readonly doc: string;
  /** The `export type ...` / `export interface ...` declaration, possibly several lines. */
  readonly decl: readonly string[];
}

/** Everything one generated file prints. */
export interface FileView {
  readonly source: string;
  readonly ifaceName: string;
  readonly ifaceLit: string;
  readonly description: string | undefined;
  readonly names: ExportNames;
  readonly fingerprint: string;
  readonly types: readonly TypeView[];
  readonly messages: readonly MessageView[];
  /** The plain messages (not rpc halves): `tx` and `rx`. */
  readonly plain: readonly MessageView[];
  readonly rpcs: readonly RpcView[];
  /** The rpc of each call message number, as an object literal (for the errors of pending calls). */
  readonly rpcNames: string;
  readonly stageWords: number;
}

function typeView(names: TypeNames, d: TypeDecl): TypeView {
  const n = names.get(d.name);
  switch (d.kind) {
    case "alias":
      return {
        doc: `${d.syntax} ${d.name}`,
        decl: [`export type ${n} = ${tsType(names, d.target)};`],
      };
    case "enum":
      return {
        doc: `enum ${d.name}: a member name; travels as its index (0..${d.members.length - 1}) in 32 bits`,
        decl: [
          `export type ${n} = ${d.members.map((m) => stringLiteral(m.name)).join(" | ")};`,
          `const ${enumTable(d.name)}: readonly ${n}[] = [${d.members.map((m) => stringLiteral(m.name)).join(", ")}];`,
        ],
      };
    case "struct":
      return {
        doc: `struct ${d.name}`,
        decl: [
          `export interface ${n} {`,
          ...d.fields.map((f) => `  ${propertyKey(f.name)}: ${tsType(names, f.type)};`),
          "}",
        ],
      };
    case "array":
      return {
        doc: `${d.name}: exactly ${d.length} elements`,
        decl: [`export type ${n} = ${tsType(names, d.element)}[];`],
      };
  }
}

/** Builds the view of the file generated for `model`; `source` is the file name printed in the header. */
export function buildFileView(model: InterfaceModel, source: string): FileView {
  const taken = new Set<string>();
  const ex = exportNames(model.name, taken);
  const names = new TypeNames(model, taken);
  const layouts = layoutInterface(model);
  const messages = layouts.map((l) => messageView(model, names, l));
  const byName = new Map(messages.map((v) => [v.name, v]));
  const rpcs: RpcView[] = [];
  for (const d of model.decls) {
    if (d.kind !== "rpc") continue;
    const call = byName.get(`${d.name}_call`);
    const resp = model.messages.find((m) => m.rpc === d.name && m.origin === "response");
    if (call === undefined || resp === undefined) continue;
    const outFields = resp.args.map((a) => `${propertyKey(a.name)}: ${argType(model, names, a)}`);
    rpcs.push({
      name: d.name,
      nameLit: stringLiteral(d.name),
      key: propertyKey(d.name),
      doc: commentText(
        `rpc ${d.name}(${d.args.map((a) => `${a.direction} ${argSignature(a.arg)}`).join(", ")})`,
      ),
      callNum: call.num,
      callSend: call.sendMethod,
      respSend: `$send_${resp.name}`,
      serveMethod: `$serve_${d.name}`,
      respondMethod: `$respond_${d.name}`,
      missing: handlerMissing("$h", d.name),
      params: call.params,
      args: call.args,
      outType: outFields.length > 0 ? `{ ${outFields.join("; ")} }` : "void",
      hasOut: outFields.length > 0,
      outArgs: resp.args.map((a) => `$out.${a.name}`).join(", "),
    });
  }
  // The staging array holds the longest fixed part in line layout (16 words a line).
  const maxWords = stagedLength(
    Math.max(PAYLOAD_WORDS, ...layouts.map((l) => l.fixedFragments * PAYLOAD_WORDS)),
  );
  return {
    source,
    ifaceName: model.name,
    ifaceLit: stringLiteral(model.name),
    description: model.description === undefined ? undefined : commentText(model.description),
    names: ex,
    fingerprint: fingerprint(model),
    types: printedTypes(model).map((d) => typeView(names, d)),
    messages,
    plain: messages.filter((v) => layouts[v.num - 3]?.message.origin === "message"),
    rpcs,
    rpcNames: `{ ${rpcs.map((r) => `${r.callNum}: ${r.nameLit}`).join(", ")} }`,
    stageWords: maxWords,
  };
}
