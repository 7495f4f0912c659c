/**
 * The consumer: a fresh npm project outside the workspace that gets @shoal/* from the local registry by exact
 * version and everything else (chevrotain, handlebars, typescript) from the normal registry, as a user would.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PublishCheckError, run } from "./proc.mjs";

/** The consumer's own toolchain, pinned like the workspace's. */
export const CONSUMER_DEV_DEPS = ["typescript@5.9.3", "@types/node@20.19.25"];

/**
 * Creates the project: `npm init -y`, ESM, and an `.npmrc` routing only the @shoal scope to `registryUrl`.
 * @param {string} dir an empty directory outside the workspace
 * @param {string} registryUrl
 */
export async function createConsumer(dir, registryUrl) {
  await run("consumer: npm init", "npm", ["init", "-y"], { cwd: dir });
  await run("consumer: npm init", "npm", ["pkg", "set", 'type="module"', "private=true", "--json"], {
    cwd: dir,
  });
  await writeFile(join(dir, ".npmrc"), `@shoal:registry=${registryUrl}\n`);
}

/**
 * `npm install` of every package at its exact version, plus the consumer's toolchain.
 * @param {string} dir
 * @param {readonly {name: string, version: string}[]} pkgs
 */
export async function installPackages(dir, pkgs) {
  const specs = [...pkgs.map((p) => `${p.name}@${p.version}`), ...CONSUMER_DEV_DEPS];
  await run(
    "consumer: npm install",
    "npm",
    ["install", "--save-exact", "--no-audit", "--no-fund", ...specs],
    {
      cwd: dir,
      timeoutMs: 600_000,
    },
  );
}

/**
 * What the consumer actually got, read back from its `node_modules`, checked against what was published and
 * against where it came from: the integrity npm recorded in its lockfile must be the one the local registry
 * serves for that version. (The lockfile's `resolved` URL is no proof: npm omits it when
 * `omit-lockfile-registry-resolved` is set, as it is on these machines.)
 * @param {string} dir
 * @param {readonly {name: string, version: string}[]} pkgs
 * @param {string} registryUrl
 * @returns {Promise<{name: string, version: string, integrity: string}[]>}
 */
export async function installedVersions(dir, pkgs, registryUrl) {
  const lock = JSON.parse(await readFile(join(dir, "package-lock.json"), "utf8"));
  const scopeDir = join(dir, "node_modules", "@shoal");
  const names = (await readdir(scopeDir).catch(() => [])).map((d) => `@shoal/${d}`).sort();
  const installed = [];
  for (const name of names) {
    const manifest = JSON.parse(await readFile(join(dir, "node_modules", name, "package.json"), "utf8"));
    const integrity = String(lock.packages?.[`node_modules/${name}`]?.integrity ?? "");
    installed.push({ name, version: String(manifest.version), integrity });
  }
  for (const pkg of pkgs) {
    const got = installed.find((i) => i.name === pkg.name);
    if (got === undefined) throw new PublishCheckError("consumer", `${pkg.name} is not in node_modules`);
    if (got.version !== pkg.version) {
      throw new PublishCheckError(
        "consumer",
        `${pkg.name}: published ${pkg.version}, installed ${got.version}`,
      );
    }
    const served = await registryIntegrity(registryUrl, pkg.name, pkg.version);
    if (got.integrity !== served) {
      throw new PublishCheckError(
        "consumer",
        `${pkg.name}@${pkg.version} is not the tarball ${registryUrl} serves (lockfile ${got.integrity || "none"}, registry ${served})`,
      );
    }
  }
  return installed;
}

/**
 * The `dist.integrity` the registry lists for one version.
 * @param {string} registryUrl
 * @param {string} name
 * @param {string} version
 */
async function registryIntegrity(registryUrl, name, version) {
  const res = await fetch(new URL(name.replace("/", "%2f"), registryUrl), {
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new PublishCheckError("consumer", `${registryUrl} answered ${res.status} for ${name}`);
  const packument = await res.json();
  const integrity = packument?.versions?.[version]?.dist?.integrity;
  if (typeof integrity !== "string") {
    throw new PublishCheckError("consumer", `${registryUrl} lists no ${name}@${version}`);
  }
  return integrity;
}
