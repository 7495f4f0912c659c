import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("chevrotain loader", () => {
  it("loads the single-file bundle under plain node (the fast cold start depends on it)", () => {
    // The same steps as src/chevrotain.ts, run outside vitest (whose module runner resolves
    // differently), so that a chevrotain upgrade that drops or moves the bundle fails here.
    const code = `
      const entry = import.meta.resolve("chevrotain");
      const bundle = new URL("../chevrotain.mjs", entry).href;
      const mod = await import(bundle);
      console.log(typeof mod.EmbeddedActionsParser, typeof mod.createToken, typeof mod.Lexer);
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("function function function");
  });
});
