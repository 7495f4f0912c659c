/**
 * The smoke program, run inside the consumer against what it installed from the registry. Four steps, each
 * failing with its own name: (1) import every package; (2) the published `flounder` CLI generates and checks
 * stubs for a copy of interfaces/ping_pong.if; (3) the consumer's `tsc` compiles those stubs with a small
 * program; (4) that program plays ping-pong with a worker thread over the published runtime.
 * Keep it growing with the project: what a user can do with the published packages belongs here.
 */
import { existsSync } from "node:fs";
import { copyFile, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { PublishCheckError, run } from "./proc.mjs";

const SMOKE_DIR = new URL("./smoke/", import.meta.url);
const INTERFACE = "ping_pong.if";

/** The steps, in order; `--smoke=imports` stops after the first. */
export const SMOKE_STEPS = ["imports", "flounder", "tsc", "ping-pong"];

/**
 * Runs the smoke steps up to and including `last`, printing each step's outcome as it goes.
 * @param {string} root workspace root (source of interfaces/ping_pong.if)
 * @param {string} dir the consumer project
 * @param {readonly string[]} names every published package name
 * @param {string} last the last step to run (one of {@link SMOKE_STEPS})
 * @param {(line: string) => void} say
 */
export async function runSmoke(root, dir, names, last, say) {
  for (const file of await readdir(SMOKE_DIR)) await copyFile(new URL(file, SMOKE_DIR), join(dir, file));
  await copyFile(join(root, "interfaces", INTERFACE), join(dir, INTERFACE));
  const lastIndex = SMOKE_STEPS.indexOf(last);
  const step = async (
    /** @type {number} */ n,
    /** @type {string} */ title,
    /** @type {() => Promise<void>} */ body,
  ) => {
    if (n - 1 > lastIndex) return;
    say(`smoke ${n}/${SMOKE_STEPS.length}: ${title}`);
    await body();
  };

  await step(1, `import ${names.join(", ")}`, async () => {
    const { out } = await run("smoke 1: import every package", "node", ["import-all.mjs", ...names], {
      cwd: dir,
    });
    say(out.trimEnd());
  });

  await step(2, `published flounder CLI: gen -o gen ${INTERFACE}, check ${INTERFACE}`, async () => {
    // npm links a bin only when its target is in the tarball; say so plainly instead of npx's riddle.
    if (!existsSync(join(dir, "node_modules", ".bin", "flounder"))) {
      const manifest = JSON.parse(
        await readFile(join(dir, "node_modules", "@shoal", "flounder", "package.json"), "utf8"),
      );
      throw new PublishCheckError(
        "smoke 2: flounder gen",
        `the published @shoal/flounder has no runnable \`flounder\` bin (package.json bin: ${JSON.stringify(manifest.bin ?? null)}; its target is missing from the tarball or the bin is not declared)`,
      );
    }
    // `npx --no --` runs the consumer's installed bin, never downloads one, and passes every flag on.
    const gen = await run(
      "smoke 2: flounder gen",
      "npx",
      ["--no", "--", "flounder", "gen", "-o", "gen", INTERFACE],
      {
        cwd: dir,
      },
    );
    const generated = await readdir(join(dir, "gen")).catch(() => []);
    if (!generated.includes("ping_pong.ts")) {
      throw new PublishCheckError("smoke 2: flounder gen", `gen/ping_pong.ts was not written`, gen.out);
    }
    const check = await run(
      "smoke 2: flounder check",
      "npx",
      ["--no", "--", "flounder", "check", INTERFACE],
      {
        cwd: dir,
      },
    );
    say(`  gen/: ${generated.join(", ")}${check.out.trim() ? `\n  check: ${check.out.trim()}` : ""}`);
  });

  await step(3, "consumer's tsc compiles gen/ping_pong.ts + main.ts + worker.ts", async () => {
    await run("smoke 3: tsc", "npx", ["--no", "--", "tsc", "--project", "tsconfig.json"], {
      cwd: dir,
      timeoutMs: 180_000,
    });
    say("  tsc: no errors");
  });

  await step(4, "ping-pong with a worker thread over the published runtime (urpc)", async () => {
    const { out } = await run("smoke 4: ping-pong", "node", [join("out", "main.js")], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    say(out.trimEnd());
  });
}
