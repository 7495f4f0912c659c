import { describe, expect, it } from "vitest";
import { check, type Diagnostic, formatDiagnostic, formatDiagnosticsJson } from "../src/index.js";
import { iface } from "./helpers.js";

function first(text: string): Diagnostic {
  const d = check(text, "t.if").diagnostics[0];
  if (!d) throw new Error("expected a diagnostic");
  return d;
}

describe("formatDiagnostic", () => {
  it("prints position, severity, message, code, the line and a caret under the span", () => {
    const text = iface("    message m(uint33 x);");
    expect(formatDiagnostic(first(text), text)).toBe(
      [
        "t.if:2:15: error: type 'uint33' is not declared; did you mean 'uint32'? [undeclared-type]",
        " 2 |     message m(uint33 x);",
        "   |               ^^^^^^",
      ].join("\n"),
    );
  });

  it("keeps tabs so that the caret lines up", () => {
    const text = iface("\tmessage\tm(uint33 x);");
    expect(formatDiagnostic(first(text), text).split("\n").slice(1)).toEqual([
      " 2 | \tmessage\tm(uint33 x);",
      "   | \t       \t  ^^^^^^",
    ]);
  });

  it("handles CRLF line ends and a position at the end of the file", () => {
    const text = "interface t {\r\n    message m();\r\n";
    const d = first(text);
    expect(d.span).toMatchObject({ line: 3, col: 1, offset: text.length, length: 0 });
    expect(formatDiagnostic(d, text)).toBe(
      ["t.if:3:1: error: expected '}' but found the end of the file [syntax-error]", " 3 | ", "   | ^"].join(
        "\n",
      ),
    );
  });

  it("cuts very long lines around the caret", () => {
    const text = `interface t { ${Array.from({ length: 40 }, (_, i) => `message m${i}();`).join(" ")} message n(uint33 x); };`;
    const lines = formatDiagnostic(first(text), text).split("\n");
    expect(lines[1]?.length).toBeLessThan(180);
    const caretLine = lines[2] ?? "";
    const sourceLine = lines[1] ?? "";
    expect(sourceLine.slice(caretLine.indexOf("^"), caretLine.indexOf("^") + 6)).toBe("uint33");
  });

  it("prints only the head without the source", () => {
    const text = iface("    message m(uint33 x);");
    expect(formatDiagnostic(first(text))).toBe(
      "t.if:2:15: error: type 'uint33' is not declared; did you mean 'uint32'? [undeclared-type]",
    );
  });
});

describe("JSON form", () => {
  it("is one document with flat diagnostics", () => {
    const text = iface("    message m(uint33 x);");
    const doc = JSON.parse(formatDiagnosticsJson(check(text, "t.if").diagnostics));
    expect(doc).toEqual({
      diagnostics: [
        {
          file: "t.if",
          line: 2,
          col: 15,
          offset: 28,
          length: 6,
          severity: "error",
          code: "undeclared-type",
          message: "type 'uint33' is not declared; did you mean 'uint32'?",
        },
      ],
    });
  });
});
