/**
 * The registry-free path: how another project depends on the packages before they are on any registry.
 * Every package is packed with `pnpm pack` (which rewrites `workspace:^` into the real versions, as
 * `pnpm publish` does), and all the tarballs are installed together into an empty ESM project: together,
 * because @shoal/flounder depends on @shoal/idl and @shoal/runtime, and npm satisfies those ranges from the
 * tarballs given in the same install instead of asking a registry for them. docs/releasing.md and the
 * README describe the same commands for users.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { CONSUMER_DEV_DEPS } from "./consumer.mjs";
import { PublishCheckError, run } from "./proc.mjs";

/** What the README tells a user to run in the checkout, word for word (after `pnpm` itself). */
export const PACK_ARGS = ["-r", "--filter", "./packages/*", "pack", "--pack-destination"];

/**
 * Packs every package into `packDir` with the README's command, run in the workspace root.
 * @param {string} root the workspace root
 * @param {readonly {name: string, version: string}[]} pkgs the public packages (each must be packed)
 * @param {string} packDir an empty directory
 * @returns {Promise<string[]>} the tarballs' absolute paths, in package order
 */
export async function packAll(root, pkgs, packDir) {
  const { out } = await run("pack", "pnpm", [...PACK_ARGS, packDir], { cwd: root, timeoutMs: 300_000 });
  const made = new Set(await readdir(packDir));
  return pkgs.map((pkg) => {
    // pnpm names a scoped tarball `scope-name-version.tgz`, as npm does.
    const file = `${pkg.name.slice(1).replace("/", "-")}-${pkg.version}.tgz`;
    if (!made.has(file)) throw new PublishCheckError("pack", `pnpm pack wrote no ${file} in ${packDir}`, out);
    return join(packDir, file);
  });
}

/**
 * An empty folder becomes the consumer: `npm init -y`, `"type": "module"` (the packages are ESM only), then
 * one `npm install` of every tarball and the consumer's toolchain. No `.npmrc` routes @shoal anywhere, so a
 * dependency the tarballs did not satisfy would fail the install instead of coming from a registry.
 * @param {string} dir an empty directory outside the workspace
 * @param {readonly string[]} tarballs
 */
export async function installTarballs(dir, tarballs) {
  await run("tarballs: npm init", "npm", ["init", "-y"], { cwd: dir });
  await run("tarballs: npm init", "npm", ["pkg", "set", 'type="module"', "private=true", "--json"], {
    cwd: dir,
  });
  await run(
    "tarballs: npm install",
    "npm",
    ["install", "--save-exact", "--no-audit", "--no-fund", ...tarballs, ...CONSUMER_DEV_DEPS],
    { cwd: dir, timeoutMs: 600_000 },
  );
}

/**
 * Checks that every package in the consumer came from its tarball (npm records `file:` as where it was
 * resolved from) at the packed version.
 * @param {string} dir
 * @param {readonly {name: string, version: string}[]} pkgs
 * @returns {Promise<string[]>} one line per package
 */
export async function tarballOrigins(dir, pkgs) {
  const lock = JSON.parse(await readFile(join(dir, "package-lock.json"), "utf8"));
  const lines = [];
  for (const pkg of pkgs) {
    const entry = lock.packages?.[`node_modules/${pkg.name}`];
    const resolved = String(entry?.resolved ?? "");
    if (entry === undefined || !resolved.startsWith("file:") || !resolved.endsWith(".tgz")) {
      throw new PublishCheckError(
        "tarballs: consumer",
        `${pkg.name} was not installed from its tarball (lockfile resolved: ${resolved || "none"})`,
      );
    }
    const manifest = JSON.parse(await readFile(join(dir, "node_modules", pkg.name, "package.json"), "utf8"));
    if (manifest.version !== pkg.version) {
      throw new PublishCheckError(
        "tarballs: consumer",
        `${pkg.name}: packed ${pkg.version}, installed ${manifest.version}`,
      );
    }
    lines.push(`${pkg.name}@${manifest.version} from ${resolved}`);
  }
  return lines;
}
