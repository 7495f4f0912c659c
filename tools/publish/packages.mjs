/**
 * The workspace side of the release check: which packages are public, building them, publishing them with
 * the same `changeset publish` the `release` script uses, and linting the tarballs the registry now serves.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cleanEnv, PublishCheckError, run } from "./proc.mjs";

/**
 * @typedef {object} WorkspacePackage
 * @property {string} name `@shoal/idl`
 * @property {string} version `0.1.0`
 * @property {string} dir absolute directory
 */

/**
 * Every non-private `packages/<dir>/package.json`, sorted by name. Fails on a manifest that could not be
 * published as-is, rather than publishing something a consumer cannot use.
 * @param {string} root the workspace root
 * @returns {Promise<WorkspacePackage[]>}
 */
export async function discoverPackages(root) {
  const packagesDir = join(root, "packages");
  const found = [];
  for (const entry of await readdir(packagesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(packagesDir, entry.name);
    let manifest;
    try {
      manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    } catch {
      continue; // Not a package (yet): a directory another engineer is still setting up.
    }
    if (manifest.private === true) continue;
    const expected = `@shoal/${entry.name}`;
    if (manifest.name !== expected) {
      throw new PublishCheckError(
        "discover",
        `packages/${entry.name} is named ${manifest.name}, not ${expected}`,
      );
    }
    if (typeof manifest.version !== "string") {
      throw new PublishCheckError("discover", `${expected} has no version`);
    }
    // changesets honours publishConfig.registry over the environment: one would send this check's
    // publish to a real registry.
    if (manifest.publishConfig?.registry !== undefined) {
      throw new PublishCheckError("discover", `${expected} sets publishConfig.registry; refusing to publish`);
    }
    found.push({ name: manifest.name, version: manifest.version, dir });
  }
  if (found.length === 0) throw new PublishCheckError("discover", "no public package under packages/");
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Builds the public packages (and, through turbo's `^build`, what they depend on) with the repo's turbo.
 * @param {string} root
 * @param {readonly WorkspacePackage[]} pkgs
 */
export async function buildPackages(root, pkgs) {
  const filters = pkgs.map((p) => `--filter=${p.name}`);
  await run("build", "pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only", ...filters], {
    cwd: root,
    timeoutMs: 600_000,
  });
}

/**
 * Publishes with `changeset publish` (what `pnpm release` runs), pointed at the local registry only: the
 * registry and a throwaway userconfig holding the dummy token come from the environment, and no git tag is
 * made. changesets publishes each package through `pnpm publish`, which rewrites `workspace:^` ranges.
 * @param {string} root
 * @param {string} registryUrl `http://127.0.0.1:PORT/`
 * @param {string} workDir a throwaway directory for the userconfig
 * @returns {Promise<string>} changesets' output
 */
export async function publishAll(root, registryUrl, workDir) {
  if (!/^http:\/\/127\.0\.0\.1:\d+\/$/.test(registryUrl)) {
    throw new PublishCheckError("publish", `refusing to publish to ${registryUrl}: not a local registry`);
  }
  const userconfig = join(workDir, "publish.npmrc");
  const hostPath = registryUrl.replace(/^http:/, "");
  await writeFile(userconfig, `registry=${registryUrl}\n${hostPath}:_authToken=dummy-local-token\n`);
  const env = cleanEnv({
    npm_config_registry: registryUrl,
    "npm_config_@shoal:registry": registryUrl,
    npm_config_userconfig: userconfig,
  });
  const { out } = await run("publish", "pnpm", ["exec", "changeset", "publish", "--no-git-tag"], {
    cwd: root,
    env,
    timeoutMs: 300_000,
  });
  // changesets exits 0 when it finds nothing to publish; the caller checks the registry anyway.
  return out;
}

/**
 * Downloads each published tarball back from the registry and runs publint and attw on it, so the lint sees
 * exactly the bytes a consumer gets. Both fail the check on errors; attw uses the ESM-only profile because
 * the packages ship no CommonJS on purpose.
 * @param {string} root workspace root (publint and attw are its devDependencies)
 * @param {readonly WorkspacePackage[]} pkgs
 * @param {string} packDir where the tarballs go
 * @param {string} npmrcDir a directory whose `.npmrc` points @shoal at the local registry
 * @returns {Promise<{lines: string[], failure: PublishCheckError | undefined}>} one summary line per package,
 *   and the lint errors, which the caller raises after the consumer steps (they are independent checks)
 */
export async function lintPublished(root, pkgs, packDir, npmrcDir) {
  const bin = (/** @type {string} */ name) => join(root, "node_modules", ".bin", name);
  const lines = [];
  const failures = [];
  for (const pkg of pkgs) {
    const spec = `${pkg.name}@${pkg.version}`;
    const { out } = await run("lint: fetch", "npm", ["pack", spec, "--pack-destination", packDir], {
      cwd: npmrcDir,
      timeoutMs: 120_000,
    });
    // npm names a scoped tarball `scope-name-version.tgz`.
    const tarball = join(packDir, `${pkg.name.slice(1).replace("/", "-")}-${pkg.version}.tgz`);
    if (!existsSync(tarball)) {
      throw new PublishCheckError("lint: fetch", `npm pack ${spec} did not write ${tarball}`, out);
    }
    const publint = await run("lint: publint", bin("publint"), ["run", tarball], {
      cwd: packDir,
      allowFail: true,
    });
    const attw = await run(
      "lint: attw",
      bin("attw"),
      [tarball, "--profile", "esm-only", "--format", "ascii"],
      {
        cwd: packDir,
        allowFail: true,
        timeoutMs: 180_000,
      },
    );
    const verdict = (/** @type {number} */ code) => (code === 0 ? "ok" : "FAILED");
    lines.push(`${spec}: publint ${verdict(publint.code)}, attw ${verdict(attw.code)}`);
    if (publint.code !== 0) failures.push(`publint ${spec}:\n${publint.out.trim()}`);
    if (attw.code !== 0) failures.push(`attw ${spec}:\n${attw.out.trim()}`);
  }
  const failure =
    failures.length === 0
      ? undefined
      : new PublishCheckError("lint", `${failures.length} lint failure(s)`, failures.join("\n\n"));
  return { lines, failure };
}
