import { describe, expect, it } from "vitest";
import { check } from "../src/index.js";
import { diags, iface } from "./helpers.js";

describe("type checks", () => {
  it("reports an undeclared type at its use, with a suggestion", () => {
    expect(diags(iface("    message m(uint33 x);"))).toEqual([
      "2:15 error undeclared-type: type 'uint33' is not declared; did you mean 'uint32'?",
    ]);
    expect(diags(iface("    message m(frobnicator x);"))).toEqual([
      "2:15 error undeclared-type: type 'frobnicator' is not declared",
    ]);
  });

  it("reports a type used before its declaration", () => {
    expect(
      diags(iface("    typedef struct { later a; } s;\n    alias later uint8;\n    message m(s x);")),
    ).toEqual([
      "2:22 error used-before-declaration: type 'later' is used before its declaration at line 3; declare it first",
    ]);
  });

  it("reports a self-referencing typedef as used before its declaration", () => {
    expect(diags(iface("    typedef loop loop;\n    message m();"))).toEqual([
      "2:13 error used-before-declaration: type 'loop' is used before its declaration at line 2; declare it first",
    ]);
  });

  it("reports duplicate types", () => {
    expect(diags(iface("    alias a uint8;\n    typedef uint16 a;\n    message m(a x);"))).toEqual([
      "3:20 error duplicate-type: type 'a' is already declared at line 2",
    ]);
  });

  it("lets a file redeclare a type of the default includes (intermon.if does)", () => {
    const r = check(iface("    alias coreid uint16;\n    message m(coreid c);"), "t.if");
    expect(r.diagnostics).toEqual([]);
    expect(r.model?.types.filter((t) => t.name === "coreid")).toHaveLength(1);
    expect(r.model?.includedTypes).not.toContain("coreid");
  });

  it("reports duplicate enum members and struct fields", () => {
    expect(diags(iface("    typedef enum { A, B, A } e;\n    message m(e x);"))).toEqual([
      "2:26 error duplicate-enum-member: enum member 'A' is already declared in enum 'e' at line 2",
    ]);
    expect(diags(iface("    typedef struct { uint8 a; uint16 a; } s;\n    message m(s x);"))).toEqual([
      "2:38 error duplicate-field: field 'a' is already declared in struct 's' at line 2",
    ]);
  });

  it("requires alias targets to be builtins and says how to alias a declared type", () => {
    expect(diags(iface("    alias a uint8;\n    alias b a;\n    message m(b x);"))).toEqual([
      "3:13 error alias-target-not-builtin: 'alias' takes a builtin type; write 'typedef a b;' to name a declared type",
    ]);
  });

  it("refuses zero and negative sizes", () => {
    expect(
      diags(iface("    typedef uint8 a[0];\n    typedef uint8 b[-3];\n    message m(a x, b y);")),
    ).toEqual([
      "2:21 error size-not-positive: a fixed array length must be positive",
      "3:21 error size-not-positive: a fixed array length must be positive",
    ]);
    expect(diags(iface("    message m(uint8 d[n, 0], String s[-1]);"))).toEqual([
      "2:26 error size-not-positive: a dynamic array's maximum length must be positive",
      "2:39 error size-not-positive: a string bound must be positive",
    ]);
  });

  it("refuses sizes beyond the limits", () => {
    expect(diags(iface("    typedef uint8 a[5000];\n    message m(String s[0x80000000]);"))).toEqual([
      "2:21 error size-too-large: a fixed array length must be at most 4096",
      "3:24 error size-too-large: a string bound must be at most 2147483647",
    ]);
  });

  it("accepts capabilities in struct fields, at any depth, and keeps them out of fixed arrays", () => {
    expect(
      diags(
        iface(
          "    alias frame_t give_away_cap;\n    typedef struct { uint32 id; cap frame; frame_t spare; } pool;\n    typedef struct { pool p; uint8 n; } outer;\n    message m(outer o, pool q);",
        ),
      ),
    ).toEqual([]);
    expect(diags(iface("    typedef cap caps[4];\n    message m(caps x);"))).toContain(
      "2:13 error cap-not-allowed-here: a capability cannot be a fixed array; pass it as a message argument or a struct field",
    );
    expect(
      diags(
        iface(
          "    typedef struct { cap c; } s;\n    typedef struct { s inner; } t;\n    typedef t ts[2];\n    message m(ts x);",
        ),
      ),
    ).toContain(
      "4:13 error cap-not-allowed-here: 't' carries a capability and cannot be a fixed array element; pass the capabilities as message arguments or struct fields",
    );
  });

  it("keeps strings out of aggregates", () => {
    expect(diags(iface("    typedef String a[4];\n    message m(a x);"))).toContain(
      "2:13 error string-not-allowed-here: String cannot be a fixed array: strings need a bound and are only arguments ('String s[N]')",
    );
  });

  it("warns that a builtin alias has no effect, silently in include files", () => {
    expect(diags(iface("    alias iref uint64;\n    message m(iref i);"))).toEqual([
      "2:11 warning builtin-redeclared: 'iref' is a builtin type; this declaration has no effect",
    ]);
    expect(
      diags(iface("    message m(iref i);"), {
        includes: [{ file: "arch.if", text: "alias errval uint64;" }],
      }),
    ).toEqual([]);
  });

  it("refuses a struct, enum or array named like a builtin", () => {
    expect(diags(iface("    typedef enum { A } bool;\n    message m();"))).toEqual([
      "2:24 error builtin-redeclared: 'bool' is a builtin type and cannot be redeclared",
    ]);
  });

  it("caps the diagnostics of one file at 200 and counts the rest", () => {
    const body = Array.from({ length: 250 }, (_, i) => `    message m${i}(nope${i} x);`).join("\n");
    const found = diags(iface(body));
    expect(found).toHaveLength(201);
    expect(found[200]).toBe(
      "201:18 error too-many-diagnostics: 50 more diagnostics not shown (50 errors, 0 warnings)",
    );
  });

  it("warns about machine-width types, once per type and file", () => {
    expect(diags(iface("    message m(uintptr a, uintptr b, size c);\n    rpc r(in intptr d);"))).toEqual([
      "2:15 warning nonportable-type: 'uintptr' has the width of the machine that runs the stub; use uint64/int64 (or uint32) for a portable interface (2 uses in this file; this is the first)",
      "2:37 warning nonportable-type: 'size' has the width of the machine that runs the stub; use uint64/int64 (or uint32) for a portable interface",
      "3:14 warning nonportable-type: 'intptr' has the width of the machine that runs the stub; use uint64/int64 (or uint32) for a portable interface",
    ]);
    expect(check(iface("    message m(uintptr a);"), "t.if").model).toBeDefined();
  });
});

describe("message checks", () => {
  it("reports duplicate messages and rpcs", () => {
    expect(diags(iface("    message m();\n    rpc m(in uint8 a);"))).toEqual([
      "3:9 error duplicate-message: 'm' is already declared at line 2",
    ]);
  });

  it("reports a message named like an rpc half", () => {
    expect(diags(iface("    message r_response();\n    rpc r(in uint8 a, out uint8 b);"))).toEqual([
      "2:13 error rpc-half-clash: message 'r_response' has the name of a half of rpc 'r' (line 3), which travels as 'r_call' and 'r_response'",
    ]);
  });

  it("reports duplicate arguments, but lets an rpc's in and out args share a name", () => {
    expect(diags(iface("    message m(uint8 a, uint16 a);"))).toEqual([
      "2:31 error duplicate-argument: argument 'a' is already declared at line 2, column 21",
    ]);
    expect(diags(iface("    rpc r(in uint8 a, out uint8 a);"))).toEqual([]);
    expect(diags(iface("    rpc r(in uint8 a, in uint8 a);"))).toEqual([
      "2:32 error duplicate-argument: argument 'a' is already declared among the in-arguments at line 2, column 20",
    ]);
  });

  it("requires directions in rpcs and refuses them in messages", () => {
    expect(diags(iface("    rpc r(uint8 a);"))).toEqual([
      "2:11 error missing-direction: an rpc argument needs 'in' or 'out' before its type",
    ]);
    expect(diags(iface("    message m(in uint8 a);"))).toEqual([
      "2:15 error direction-outside-rpc: 'in' marks rpc arguments; a message's arguments have no direction",
    ]);
  });

  it("refuses unbounded and lowercase strings, saying what to write", () => {
    expect(diags(iface("    message m(String s);"))).toEqual([
      "2:22 error unbounded-string: String needs a bound: write 'String s[N]' (a string of at most N-1 bytes)",
    ]);
    expect(diags(iface("    message m(string s);"))).toEqual([
      "2:15 error legacy-string: 'string' is pre-2016 Flounder syntax: write 'String s[N]' (a string of at most N-1 bytes)",
    ]);
  });

  it("reports a length name that clashes with another argument or length", () => {
    expect(diags(iface("    message m(uint8 n, uint8 d[n, 8]);"))).toEqual([
      "2:32 error length-name-clash: length name 'n' is already the name of an argument or length at line 2, column 21",
    ]);
    expect(diags(iface("    message m(uint8 d[n, 8], char e[n, 8]);"))).toEqual([
      "2:37 error length-name-clash: length name 'n' is already the name of an argument or length at line 2, column 23",
    ]);
  });

  it("allows dynamic arrays of 8-bit elements only (aliases included)", () => {
    expect(
      diags(iface("    alias byte uint8;\n    message m(byte d[n, 8], int8 e[k, 8], coreid c[j, 4]);")),
    ).toEqual([]);
    expect(diags(iface("    message m(uint32 d[n, 8]);"))).toEqual([
      "2:15 error dynarray-element-type: dynamic arrays carry bytes: the element type must be uint8, int8 or char (or an alias of one), not 'uint32'",
    ]);
  });

  it("refuses a bound on a non-string argument, with both alternatives", () => {
    expect(diags(iface("    message m(uint32 a[4]);"))).toEqual([
      "2:23 error bracket-not-allowed: only String takes a bound; for a fixed-size array declare 'typedef uint32 NAME[N];' and use NAME, for a dynamic one write 'uint32 a[a_len, N]'",
    ]);
  });
});

describe("structure checks", () => {
  it("requires the interface name to equal the file name", () => {
    expect(diags(iface("    message m();", "other"))).toEqual([
      "1:11 error interface-name-mismatch: interface 'other' must be in a file named 'other.if' (Flounder names the interface after its file), not 't.if'",
    ]);
    expect(diags(iface("    message m();", "other"), {}, "<stdin>")).toEqual([]);
    expect(diags(iface("    message m();", "t"), {}, "some/dir/t.if")).toEqual([]);
  });

  it("requires at least one message", () => {
    expect(diags(iface("    alias a uint8;"))).toEqual([
      "1:11 error no-messages: interface 't' declares no messages; declare at least one 'message' or 'rpc'",
    ]);
  });

  it("requires type declarations before messages", () => {
    expect(diags(iface("    message m();\n    alias a uint8;"))).toEqual([
      "3:5 error type-after-message: type declarations must come before all messages; this one follows message 'm' at line 2",
    ]);
  });

  it("refuses messages in include files", () => {
    expect(
      diags(iface("    message m();"), {
        includes: [{ file: "inc.if", text: "alias a uint8;\nmessage x();" }],
      }),
    ).toEqual([
      "2:1 error include-has-messages: an include file may only declare types (alias/typedef); move message 'x' into an interface",
    ]);
  });
});

describe("pre-2016 syntax", () => {
  it("names the old construct and its modern form", () => {
    expect(diags(iface("    call c(uint32 x);\n    response r(uint32 y);"))).toEqual([
      "2:5 error legacy-call-response: 'call' declarations are pre-2016 Flounder syntax: declare 'message NAME(...)', or pair a call and its response as 'rpc NAME(in ..., out ...)'",
      "3:5 error legacy-call-response: 'response' declarations are pre-2016 Flounder syntax: declare 'message NAME(...)', or pair a call and its response as 'rpc NAME(in ..., out ...)'",
    ]);
    expect(diags(iface("    message m(uint8 buf[len]);"))).toEqual([
      "2:24 error legacy-dynamic-array: 'uint8 buf[len]' is pre-2016 Flounder syntax: give a maximum length, 'uint8 buf[len, N]'",
    ]);
  });
});

describe("includes", () => {
  it("predeclares the standard types unless told not to", () => {
    const text = iface("    message m(coreid c, genpaddr p, cycles t, domainid d, rsrcid r, genvaddr v);");
    expect(diags(text)).toEqual([]);
    expect(diags(text, { defaultIncludes: false })).toHaveLength(6);
    const model = check(text, "t.if").model;
    expect(model?.includedTypes).toEqual(["coreid", "domainid", "cycles", "genpaddr", "genvaddr", "rsrcid"]);
  });

  it("lets a later include redeclare an earlier one's type", () => {
    const r = check(iface("    message m(cycles c);"), "t.if", {
      includes: [{ file: "arch/armv7.if", text: "alias cycles uint32;" }],
    });
    expect(r.diagnostics).toEqual([]);
    const cycles = r.model?.types.find((t) => t.name === "cycles");
    expect(cycles?.kind === "alias" && cycles.target).toEqual({ kind: "builtin", name: "uint32" });
    expect(cycles?.span.file).toBe("arch/armv7.if");
  });

  it("reports errors of include files in those files", () => {
    const r = check(iface("    message m();"), "t.if", {
      includes: [{ file: "inc.if", text: "alias a uint99;" }],
    });
    expect(r.model).toBeUndefined();
    expect(r.diagnostics.map((d) => `${d.span.file}:${d.span.line}:${d.span.col} ${d.code}`)).toEqual([
      "inc.if:1:9 alias-target-not-builtin",
    ]);
  });
});

describe("several errors", () => {
  it("reports independent errors of one file together, syntax and semantic", () => {
    const text = iface(
      [
        "    message a(uint32 x) // no semicolon",
        "    message b(uint33 y);",
        "    message c(String s);",
      ].join("\n"),
    );
    expect(diags(text)).toEqual([
      "2:24 error syntax-error: expected ';' but found 'message'",
      "3:15 error undeclared-type: type 'uint33' is not declared; did you mean 'uint32'?",
      "4:22 error unbounded-string: String needs a bound: write 'String s[N]' (a string of at most N-1 bytes)",
    ]);
  });
});
