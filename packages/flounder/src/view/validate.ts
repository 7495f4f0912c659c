/**
 * The send-side type checks of one message: every argument is checked once, before anything is encoded
 * or handed over, the same for every transport. A wrong-typed value (through `any`, or from JavaScript)
 * then rejects the send with BAD_ARGUMENT naming the message and field, instead of a raw TypeError from
 * deep inside an encoder, a value that arrives changed on one transport (a string "42" stored as 42 by a
 * typed array), or an array the port receiver drops.
 *
 * What is checked is the JavaScript type of each value: integers are numbers with no fraction (range is
 * the wire's business: they wrap to their width on every transport), 64-bit values are bigints, bools
 * booleans, enums member names, strings strings, byte arrays the declared typed array, capabilities
 * CapRefs, structs objects, fixed arrays arrays of exactly their length.
 *
 * @packageDocumentation
 */
import type { Arg, InterfaceModel, TypeRef } from "@shoal/idl";
import { resolveType } from "@shoal/idl";
import { builtinScalar } from "../layout.js";
import { stringLiteral } from "../names.js";
import { accessPath } from "./codec.js";
import { RT, signedBytes } from "./type-map.js";

/** One argument of a message: its local name in the generated method and the .if argument. */
export interface CheckedArg {
  readonly local: string;
  readonly arg: Arg;
}

/**
 * The statements that check the arguments of message `message` (`return this.$faults.badArgument(...)`
 * on the first wrong one). `enumNames(enum)` is the printed name of an enum's member table.
 */
export function argumentChecks(
  model: InterfaceModel,
  message: string,
  args: readonly CheckedArg[],
  enumNames: (name: string) => string,
): string[] {
  const msg = stringLiteral(message);
  const out: string[] = [];
  const reject = (field: string, expected: string, x: string): string =>
    `return this.$faults.badArgument(${msg}, ${stringLiteral(field)}, ${stringLiteral(expected)}, ${x});`;

  const value = (ref: TypeRef, x: string, field: string): void => {
    const t = resolveType(model, ref);
    switch (t.kind) {
      case "builtin": {
        const s = builtinScalar(t.name);
        if (s === "cap") out.push(`if (!(${x} instanceof ${RT}.CapRef)) ${reject(field, "a CapRef", x)}`);
        else if (s.kind === "bool")
          out.push(`if (typeof ${x} !== "boolean") ${reject(field, "a boolean", x)}`);
        else if (s.kind === "int" && s.bits === 64)
          out.push(`if (typeof ${x} !== "bigint") ${reject(field, "a bigint", x)}`);
        else out.push(`if (!Number.isInteger(${x})) ${reject(field, "an integer number", x)}`);
        return;
      }
      case "enum": {
        const names = t.members.map((m) => `'${m.name}'`);
        const members = names.length <= 8 ? names.join(", ") : `${names.slice(0, 8).join(", ")}, ...`;
        out.push(`if (!${enumNames(t.name)}.includes(${x})) ${reject(field, `one of ${members}`, x)}`);
        return;
      }
      case "struct":
        out.push(`if (typeof ${x} !== "object" || ${x} === null) ${reject(field, `a ${t.name} object`, x)}`);
        for (const f of t.fields)
          value(f.type, accessPath(x, [{ kind: "field", name: f.name }]), `${field}.${f.name}`);
        return;
      case "array":
        out.push(
          `if (!Array.isArray(${x}) || ${x}.length !== ${t.length}) ${reject(field, `an array of exactly ${t.length} elements`, x)}`,
        );
        for (let i = 0; i < t.length; i++)
          value(t.element, accessPath(x, [{ kind: "index", index: i }]), `${field}[${i}]`);
        return;
    }
  };

  for (const { local, arg } of args) {
    switch (arg.kind) {
      case "value":
        value(arg.type, local, arg.name);
        break;
      case "string":
        out.push(`if (typeof ${local} !== "string") ${reject(arg.name, "a string", local)}`);
        break;
      case "dynarray": {
        const type = signedBytes(model, arg.element) ? "Int8Array" : "Uint8Array";
        out.push(`if (!(${local} instanceof ${type})) ${reject(arg.name, `a ${type}`, local)}`);
        break;
      }
    }
  }
  return out;
}
