import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { astCommand, type CliIO, checkCommand, checkFiles, whyNotText } from "../src/index.js";
import { CORPUS_DIR } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "idl-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function capture(): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

const good = file("good.if", "interface good { message m(uint8 x); };\n");
const warn = file("warn.if", "interface warn { message m(uintptr x); };\n");
const bad = file("bad.if", "interface bad { message m(uint33 x); message n(String s); };\n");

describe("checkCommand", () => {
  it("exits 0 for clean files, warnings allowed", async () => {
    const io = capture();
    expect(await checkCommand([good, warn], io)).toBe(0);
    expect(io.stdout).toContain("warning: 'uintptr'");
    expect(io.stdout).toContain("2 files checked: 0 errors, 1 warning");
  });

  it("exits 1 with every error of every file", async () => {
    const io = capture();
    expect(await checkCommand([good, bad], io)).toBe(1);
    expect(io.stdout).toContain(`${bad}:1:27: error: type 'uint33' is not declared`);
    expect(io.stdout).toContain(`${bad}:1:55: error: String needs a bound`);
    expect(io.stdout).toContain("2 files checked: 2 errors, 0 warnings");
  });

  it("exits 2 with a clear message for a missing file, still checking the others", async () => {
    const io = capture();
    const missing = join(dir, "nope.if");
    expect(await checkCommand([missing, good], io)).toBe(2);
    expect(io.stderr).toBe(`flounder: error: ${missing}: no such file [FILE_NOT_FOUND]\n`);
    expect(io.stdout).toContain("1 of 2 files checked (1 could not be read): 1 error, 0 warnings");
  });

  it("never sums up a missing file as a clean run", async () => {
    const io = capture();
    expect(await checkCommand([join(dir, "nope.if")], io)).toBe(2);
    expect(io.stdout).toBe("0 of 1 file checked (1 could not be read): 1 error, 0 warnings\n");
    const inc = capture();
    expect(await checkCommand(["-i", join(dir, "nope.if"), good], inc)).toBe(2);
    expect(inc.stdout).toBe("0 of 1 file checked (1 include could not be read): 1 error, 0 warnings\n");
  });

  it("refuses a binary file with one error and never prints its bytes", async () => {
    const bytes = Buffer.from([0x69, 0x6e, 0x74, 0x1b, 0x5b, 0x32, 0x4a, 0x00, 0xff, 0x07, 0x0d]);
    const bin = join(dir, "bin.if");
    writeFileSync(bin, bytes);
    const io = capture();
    expect(await checkCommand([bin], io)).toBe(2);
    expect(io.stderr).toBe(`flounder: error: ${bin}: not a text file (a NUL byte at offset 7) [NOT_TEXT]\n`);
    expect(io.stdout).toBe("0 of 1 file checked (1 could not be read): 1 error, 0 warnings\n");
    const latin1 = join(dir, "latin1.if");
    writeFileSync(latin1, Buffer.from("interface caf\xe9 {};", "latin1"));
    const l = capture();
    expect(await checkCommand([latin1], l)).toBe(2);
    expect(l.stderr).toContain("not a text file (invalid UTF-8 at byte offset 13) [NOT_TEXT]");
  });

  it("replaces control characters in the quoted source line", async () => {
    const esc = file("esc.if", "interface esc { message m(uint8 x); \u001b[2J\r };\n");
    const io = capture();
    expect(await checkCommand([esc], io)).toBe(1);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
    expect(io.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(io.stdout).toContain("x); \uFFFD[2J");
  });

  it("counts what 'N more diagnostics not shown' hides in the summary", async () => {
    const body = Array.from({ length: 250 }, (_, i) => `    message m${i}(nope${i} x);`).join("\n");
    const many = file("many.if", `interface many {\n${body}\n};\n`);
    const io = capture();
    expect(await checkCommand([many], io)).toBe(1);
    const hidden = /(\d+) more diagnostics not shown/.exec(io.stdout);
    const shown = io.stdout.match(/: error: /g)?.length ?? 0;
    expect(Number(hidden?.[1])).toBe(50);
    // 200 shown errors, then the summary line standing for 50 more: 250 in all, the file's real count.
    expect(shown - 1 + Number(hidden?.[1])).toBe(250);
    expect(io.stdout).toContain("1 file checked: 250 errors, 0 warnings");
    const json = capture();
    expect(await checkCommand(["--format", "json", many], json)).toBe(1);
    const doc = JSON.parse(json.stdout) as { errors: number; diagnostics: { code: string }[] };
    expect(doc).toMatchObject({ errors: 250, warnings: 0 });
    expect(doc.diagnostics.filter((d) => d.code === "too-many-diagnostics")).toMatchObject([
      { hidden: { errors: 50, warnings: 0 } },
    ]);
  });

  it("exits 2 for usage errors", async () => {
    for (const args of [[], ["--frobnicate", good], ["-i"], ["--format", "xml", good]]) {
      const io = capture();
      expect(await checkCommand(args, io), args.join(" ")).toBe(2);
      expect(io.stderr).toMatch(/^flounder: .+\nusage: flounder check/);
    }
  });

  it("prints JSON with --format json", async () => {
    const io = capture();
    expect(await checkCommand(["--format", "json", bad], io)).toBe(1);
    const doc = JSON.parse(io.stdout);
    expect(doc.errors).toBe(2);
    expect(doc.files).toEqual([{ file: bad, ok: false }]);
    expect(doc.diagnostics[0]).toEqual({
      file: bad,
      line: 1,
      col: 27,
      offset: 26,
      length: 6,
      severity: "error",
      code: "undeclared-type",
      message: "type 'uint33' is not declared; did you mean 'uint32'?",
    });
  });

  it("reads include files with -i and can drop the defaults", async () => {
    const inc = file("inc.if", "alias myid uint16;\n");
    const user = file("user.if", "interface user { message m(myid a, coreid c); };\n");
    expect(await checkCommand(["-i", inc, user], capture())).toBe(0);
    const io = capture();
    expect(await checkCommand(["-i", inc, "--no-default-includes", user], io)).toBe(1);
    expect(io.stdout).toContain("type 'coreid' is not declared");
    const missing = capture();
    expect(await checkCommand(["-i", join(dir, "missing.if"), user], missing)).toBe(2);
    expect(missing.stderr).toContain("missing.if: no such file [FILE_NOT_FOUND]");
  });

  it("checks the corpus with Barrelfish's includes in one call", async () => {
    const io = capture();
    const code = await checkCommand(
      ["-i", join(CORPUS_DIR, "types.if"), join(CORPUS_DIR, "ping_pong.if"), join(CORPUS_DIR, "monitor.if")],
      io,
    );
    expect(code).toBe(0);
  });
});

describe("astCommand", () => {
  it("prints the model as JSON", async () => {
    const io = capture();
    expect(await astCommand([good, "--json"], io)).toBe(0);
    const model = JSON.parse(io.stdout);
    expect(model.name).toBe("good");
    expect(model.messages[0]).toMatchObject({ name: "m", number: 3, origin: "message" });
  });

  it("prints an outline without --json", async () => {
    const io = capture();
    expect(await astCommand([good], io)).toBe(0);
    expect(io.stdout).toBe("interface good\n  #3 m(uint8 x)\n");
  });

  it("exits 1 with diagnostics on stderr for a bad file, 2 for usage", async () => {
    const io = capture();
    expect(await astCommand([bad, "--json"], io)).toBe(1);
    expect(io.stdout).toBe("");
    expect(io.stderr).toContain("undeclared-type");
    expect(await astCommand([], capture())).toBe(2);
    expect(await astCommand([good, bad], capture())).toBe(2);
    expect(await astCommand([join(dir, "nope.if")], capture())).toBe(2);
  });
});

describe("checkFiles", () => {
  it("returns unreadable files as typed I/O errors", async () => {
    const r = await checkFiles([dir, join(dir, "nope.if")], { includes: [], defaultIncludes: true });
    expect(r.files.map((f) => (f.ok ? "ok" : f.error.code))).toEqual(["NOT_A_FILE", "FILE_NOT_FOUND"]);
  });

  it("tells UTF-8 text from binary exactly", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(whyNotText(enc("interface a { message m(); }; // \u00e9 \u20ac \u{1f600}"))).toBeUndefined();
    expect(whyNotText(Uint8Array.of(0x61, 0xc3))).toBe("invalid UTF-8 at byte offset 1");
    expect(whyNotText(Uint8Array.of(0xc0, 0x80))).toBe("invalid UTF-8 at byte offset 0");
    expect(whyNotText(Uint8Array.of(0xed, 0xa0, 0x80))).toBe("invalid UTF-8 at byte offset 0");
    expect(whyNotText(Uint8Array.of(0xf4, 0x90, 0x80, 0x80))).toBe("invalid UTF-8 at byte offset 0");
    expect(whyNotText(Uint8Array.of(0x61, 0, 0x62))).toBe("a NUL byte at offset 1");
  });

  it("agrees with TextDecoder on random bytes", () => {
    const strict = new TextDecoder("utf-8", { fatal: true });
    // Bytes drawn by class (ASCII, continuation, lead) so that valid multi-byte sequences occur often.
    const byte = fc.oneof(
      fc.integer({ min: 1, max: 0x7f }),
      fc.integer({ min: 0x80, max: 0xbf }),
      fc.integer({ min: 0xc0, max: 0xff }),
    );
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 12 }), (b) => {
        const bytes = Uint8Array.from(b);
        let valid = true;
        try {
          strict.decode(bytes);
        } catch {
          valid = false;
        }
        expect(whyNotText(bytes) === undefined).toBe(valid);
      }),
      { numRuns: 5000 },
    );
  });
});
