import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { astCommand, type CliIO, checkCommand, checkFiles } from "../src/index.js";
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
    expect(io.stderr).toBe(`flounder: ${missing}: no such file\n`);
    expect(io.stdout).toContain("1 file checked");
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
    expect(missing.stderr).toContain("missing.if: no such file");
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
});
