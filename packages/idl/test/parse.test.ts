import { describe, expect, it } from "vitest";
import { check, parse, parseInclude } from "../src/index.js";
import { diags, iface } from "./helpers.js";

describe("lexing", () => {
  it("skips nested block comments and line comments", () => {
    const text = iface(
      "    /* outer /* inner */ still comment */\n    // line comment\n    message m(); // trailing",
    );
    expect(diags(text)).toEqual([]);
  });

  it("reports an unterminated (nested) comment at its start", () => {
    expect(diags(iface("    message m();\n    /* open /* nested */ never closed"))).toEqual([
      "3:5 error unterminated-comment: comment is not closed: '/*' needs a matching '*/' (comments nest)",
      "5:1 error syntax-error: expected '}' but found the end of the file",
    ]);
  });

  it("reads decimal, hex and octal numbers (a leading 0 stays decimal)", () => {
    const r = check(
      iface(
        "    typedef uint8 a[0x10];\n    typedef uint8 b[0o17];\n    typedef uint8 c[010];\n    message m(a x, b y, c z);",
      ),
      "t.if",
    );
    expect(r.diagnostics).toEqual([]);
    expect(
      r.model?.types.filter((t) => t.kind === "array").map((t) => t.kind === "array" && t.length),
    ).toEqual([16, 15, 10]);
  });

  it("accepts identifiers with digits, underscores and primes", () => {
    expect(diags(iface("    message m_2'(uint8 x', uint8 y_1);"))).toEqual([]);
  });

  it("keeps soft keywords usable as names, like Flounder", () => {
    const r = check(iface("    message m(uint32 call, uint32 response, uint32 alias, uint32 enum);"), "t.if");
    expect(r.diagnostics).toEqual([]);
    expect(r.model?.messages[0]?.args.map((a) => a.name)).toEqual(["call", "response", "alias", "enum"]);
  });

  it("reports an unterminated string at its quote and goes on", () => {
    expect(diags('interface t "no end\n{ message m(); };')).toEqual([
      "1:13 error unterminated-string: string is not closed: a '\"' is missing before the end of the line",
    ]);
  });

  it("skips a byte-order mark", () => {
    expect(diags(`\uFEFF${iface("    message m();")}`)).toEqual([]);
  });

  it("reports unexpected characters and goes on", () => {
    expect(diags(iface("    message m(uint8 a) $;\n    message n(uint99 b);"))).toEqual([
      "2:24 error unexpected-character: unexpected character '$'",
      "3:15 error undeclared-type: type 'uint99' is not declared; did you mean 'uint8'?",
    ]);
  });
});

describe("parsing", () => {
  it("gives the typed tree with positions", () => {
    const { ast, diagnostics } = parse(
      'interface p "desc" {\n  @ann(a = 1, b = x)\n  rpc r(in uint8 a, out String s[8]);\n};',
      "p.if",
    );
    expect(diagnostics).toEqual([]);
    expect(ast.header?.name?.text).toBe("p");
    expect(ast.header?.description).toBe("desc");
    const rpc = ast.items[0];
    expect(rpc?.kind).toBe("rpc");
    if (rpc?.kind !== "rpc") return;
    expect(rpc.annotations[0]?.params.map((p) => [p.key?.text, p.value?.kind])).toEqual([
      ["a", "number"],
      ["b", "name"],
    ]);
    expect(rpc.args.map((a) => [a.direction, a.type?.text, a.name?.text, a.bracket?.size?.value])).toEqual([
      ["in", "uint8", "a", undefined],
      ["out", "String", "s", 8],
    ]);
    expect(rpc.name?.span).toEqual({ file: "p.if", line: 3, col: 7, offset: 48, length: 1 });
  });

  it("puts annotations into the model", () => {
    const m = check(iface("    @thc(x = 3, y = arg)\n    message m(uint8 arg);"), "t.if").model;
    expect(m?.messages[0]?.annotations).toEqual([
      {
        name: "thc",
        params: [
          { key: "x", value: 3 },
          { key: "y", value: "arg" },
        ],
        span: expect.anything(),
      },
    ]);
  });

  it("keeps a sign on annotation numbers and refuses inexact ones", () => {
    const m = check(iface("    @a(x = -2, y = 0x10)\n    message m();"), "t.if").model;
    expect(m?.messages[0]?.annotations[0]?.params).toEqual([
      { key: "x", value: -2 },
      { key: "y", value: 16 },
    ]);
    expect(diags(iface("    @a(x = 99999999999999999999)\n    message m();"))).toEqual([
      "2:12 error size-too-large: an annotation value must be at most 2^53 - 1",
    ]);
  });

  it("reports a missing ';' right after what it should follow", () => {
    expect(diags(iface("    message m()\n    message n();"))).toEqual([
      "2:16 error syntax-error: expected ';' but found 'message'",
    ]);
  });

  it("recovers to report several independent syntax errors", () => {
    const text = iface(
      [
        "    message a(uint8 x,);",
        "    message b(uint8 y);",
        "    message c(uint8 uint8 z);",
        "    message d(;",
      ].join("\n"),
    );
    const found = diags(text);
    expect(found.length).toBeGreaterThanOrEqual(3);
    expect(found.map((d) => d.split(" ")[0])).toEqual(expect.arrayContaining(["2:23", "4:27", "5:15"]));
    expect(found.every((d) => d.includes("syntax-error"))).toBe(true);
  });

  it("reports a missing interface keyword and text after the end", () => {
    expect(diags("message m();")).toEqual([
      "1:1 error syntax-error: expected 'interface' but found 'message'",
    ]);
    expect(diags(`${iface("    message m();")}extra`)).toEqual([
      "4:1 error syntax-error: unexpected 'extra' after the end of the interface",
    ]);
  });

  it("parses include files as declarations only", () => {
    const { ast, diagnostics } = parseInclude("alias a uint8;\ntypedef struct { a x; } s;", "inc.if");
    expect(diagnostics).toEqual([]);
    expect(ast.header).toBeUndefined();
    expect(ast.items.map((i) => i.kind)).toEqual(["alias", "typedef-struct"]);
  });

  it("says that a file of declarations only is an include file", () => {
    expect(diags("alias a uint8;")).toEqual([
      "1:1 error syntax-error: expected 'interface' but found 'alias': a file of type declarations only is an include file; pass it with -i",
    ]);
  });

  it("stops after 50 syntax errors and says so, keeping what parsed before", () => {
    const text = iface(`    message ok(uint8 x);\n${"    message m(;\n".repeat(80)}`);
    const found = diags(text);
    expect(found.filter((d) => d.includes(" syntax-error:"))).toHaveLength(50);
    expect(found[found.length - 1]).toBe(
      "52:15 error too-many-diagnostics: too many syntax errors; the rest of the file was not parsed",
    );
    expect(parse(text, "t.if").ast.items[0]).toMatchObject({ kind: "message", name: { text: "ok" } });
  });

  it("suggests the keyword a misspelt word was probably meant to be", () => {
    expect(diags(iface("    mesage m();\n    message n(uint8 x);"))).toEqual([
      "2:5 error syntax-error: expected a type declaration, a message or '}' but found 'mesage'; did you mean 'message'?",
    ]);
    expect(diags("interfce t {\n    message m();\n};")).toEqual([
      "1:1 error syntax-error: expected 'interface' but found 'interfce'; did you mean 'interface'?",
    ]);
  });

  it("does not list an optional sign among what was expected", () => {
    expect(diags(iface("    @a(x=)\n    message m();"))).toEqual([
      "2:10 error syntax-error: expected a number or a name but found ')'",
    ]);
  });

  it("reports an empty file", () => {
    expect(diags("")).toEqual(["1:1 error syntax-error: expected 'interface' but found the end of the file"]);
  });
});
