/**
 * The language mapping: every identifier the generator prints comes from here. Interface names become
 * PascalCase class names; declared names keep their spelling unless they are reserved in TypeScript, in
 * which case they get a trailing underscore. Generated internals start with `$`, which no Flounder
 * identifier can contain, so they never clash with a user's name.
 *
 * @packageDocumentation
 */

/** Words that cannot be a binding name (parameter, local, class or type) in strict-mode ES modules. */
const RESERVED_WORDS = new Set([
  "arguments",
  "await",
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "eval",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "function",
  "if",
  "implements",
  "import",
  "in",
  "instanceof",
  "interface",
  "let",
  "new",
  "null",
  "package",
  "private",
  "protected",
  "public",
  "return",
  "static",
  "super",
  "switch",
  "this",
  "throw",
  "true",
  "try",
  "typeof",
  "var",
  "void",
  "while",
  "with",
  "yield",
  "undefined",
  "NaN",
  "Infinity",
  // Globals the generated code calls; a parameter of that name would shadow them.
  "structuredClone",
  "Promise",
  "Uint8Array",
  "Int8Array",
  "Uint32Array",
  "String",
]);

/** Names that TypeScript reserves for its own types (cannot name a type alias or interface). */
const RESERVED_TYPE_NAMES = new Set([
  "any",
  "bigint",
  "boolean",
  "never",
  "number",
  "object",
  "string",
  "symbol",
  "unknown",
  "intrinsic",
  // Global types the generated code itself refers to; shadowing them would change its meaning.
  "Promise",
  "Uint8Array",
  "Int8Array",
  "Uint16Array",
  "Int16Array",
  "Uint32Array",
  "Int32Array",
  "BigUint64Array",
  "BigInt64Array",
  "Readonly",
  "Record",
  "Error",
  "TextEncoder",
  "TextDecoder",
  "PromiseLike",
  "Map",
  "Object",
]);

/** Globals the generated code uses as values: the binding class (a value too) must not shadow them. */
const GLOBAL_VALUES = new Set([
  "Promise",
  "Map",
  "Object",
  "Error",
  "String",
  "TextEncoder",
  "TextDecoder",
  "Uint8Array",
  "Int8Array",
  "Uint32Array",
  "BigUint64Array",
  "BigInt64Array",
]);

/** True when `name` cannot be used as a parameter or local variable name. */
export function isReservedWord(name: string): boolean {
  return RESERVED_WORDS.has(name);
}

/**
 * A safe binding name for `name` that is not in `taken` (which it is then added to). Reserved words and
 * clashes get underscores appended until free, so `new` becomes `new_`, and `new_` next to it `new__`.
 */
export function safeIdentifier(name: string, taken?: Set<string>): string {
  let id = name;
  while (RESERVED_WORDS.has(id) || (taken?.has(id) ?? false)) id += "_";
  taken?.add(id);
  return id;
}

/** A safe name for a declared type (`typedef`, `alias`): reserved words and TS type keywords escaped. */
export function safeTypeName(name: string, taken: Set<string>): string {
  let id = name;
  while (RESERVED_WORDS.has(id) || RESERVED_TYPE_NAMES.has(id) || taken.has(id)) id += "_";
  taken.add(id);
  return id;
}

/** `ping_pong` → `PingPong`; `xmplrpc` → `Xmplrpc`. A leading digit cannot occur in a Flounder name. */
export function pascalCase(name: string): string {
  const out = name
    .split("_")
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
  return out.length > 0 ? out : "Interface";
}

/** A JS string literal for `text` (double-quoted, escaped): used for names printed inside strings. */
export function stringLiteral(text: string): string {
  return JSON.stringify(text);
}

/**
 * A property key as printed in an object type or literal: bare when it is an identifier (reserved words
 * are fine as property names), quoted otherwise.
 */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : stringLiteral(name);
}

/** The names of the top-level exports of one generated file, computed once so they cannot clash. */
export interface ExportNames {
  /** The binding class: `PingPong`. */
  readonly binding: string;
  /** The message-number table: `PingPongMessages`. */
  readonly messages: string;
  /** The fingerprint constant: `PING_PONG_FINGERPRINT`. */
  readonly fingerprint: string;
  /** Options of `bind()`: `PingPongOptions`. */
  readonly options: string;
  /** Message handler interface: `PingPongRx`. */
  readonly rx: string;
  /** RPC server handler interface: `PingPongRpcHandlers`. */
  readonly rpcHandlers: string;
  /** Send interface (`tx`): `PingPongTx`. */
  readonly tx: string;
  /** RPC client interface (`rpc`): `PingPongRpc`. */
  readonly rpc: string;
}

/** Export names for interface `iface`; each is added to `taken` so declared types avoid them. */
export function exportNames(iface: string, taken: Set<string>): ExportNames {
  const pascal = pascalCase(iface);
  // An interface called `promise` must not shadow the global its own stubs use.
  const p = GLOBAL_VALUES.has(pascal) || RESERVED_TYPE_NAMES.has(pascal) ? `${pascal}_` : pascal;
  const claim = (n: string): string => {
    taken.add(n);
    return n;
  };
  return {
    binding: claim(p),
    messages: claim(`${p}Messages`),
    fingerprint: claim(`${iface.toUpperCase()}_FINGERPRINT`),
    options: claim(`${p}Options`),
    rx: claim(`${p}Rx`),
    rpcHandlers: claim(`${p}RpcHandlers`),
    tx: claim(`${p}Tx`),
    rpc: claim(`${p}Rpc`),
  };
}
