/**
 * The interface fingerprint compared at bind time: 32 hex digits of a SHA-256 over the canonical model.
 * The canonical model is what both ends must agree on to read each other's messages — the interface
 * name, the wire messages with their argument names and kinds, and the types they reach — and nothing
 * else (no spans, comments, descriptions, or include-file types the messages never use).
 *
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import type { Arg, InterfaceModel, TypeRef } from "@shoal/idl";
import { lookupType } from "@shoal/idl";

type Canonical = string | number | readonly Canonical[];

function typeRef(t: TypeRef): Canonical {
  return t.kind === "builtin" ? ["b", t.name] : ["n", t.name];
}

function arg(a: Arg): Canonical {
  switch (a.kind) {
    case "value":
      return ["value", a.name, typeRef(a.type)];
    case "string":
      return ["string", a.name, a.bound];
    case "dynarray":
      return ["dynarray", a.name, typeRef(a.element), a.max];
  }
}

/** The named types reachable from the messages, each once, in first-use order. */
function reachableTypes(model: InterfaceModel): Canonical[] {
  const seen = new Set<string>();
  const out: Canonical[] = [];
  const visit = (t: TypeRef): void => {
    if (t.kind !== "named" || seen.has(t.name)) return;
    seen.add(t.name);
    const d = lookupType(model, t.name);
    if (d === undefined) return;
    switch (d.kind) {
      case "alias":
        out.push(["alias", d.name, typeRef(d.target)]);
        visit(d.target);
        break;
      case "enum":
        out.push(["enum", d.name, d.members.map((m) => [m.name, m.value])]);
        break;
      case "array":
        out.push(["array", d.name, typeRef(d.element), d.length]);
        visit(d.element);
        break;
      case "struct":
        out.push(["struct", d.name, d.fields.map((f) => [f.name, typeRef(f.type)])]);
        for (const f of d.fields) visit(f.type);
        break;
    }
  };
  for (const m of model.messages)
    for (const a of m.args) visit(a.kind === "value" ? a.type : a.kind === "dynarray" ? a.element : ref0);
  return out;
}

const ref0: TypeRef = { kind: "builtin", name: "uint8" };

/** The canonical form of the model as a JSON string (stable across runs and machines). */
export function canonicalModel(model: InterfaceModel): string {
  const messages = model.messages.map((m) => [m.number, m.name, m.args.map(arg)]);
  return JSON.stringify(["flounder-shoal/1", model.name, messages, reachableTypes(model)]);
}

/** 32 lowercase hex digits identifying the interface's wire contract. */
export function fingerprint(model: InterfaceModel): string {
  return createHash("sha256").update(canonicalModel(model)).digest("hex").slice(0, 32);
}
