#!/usr/bin/env node
// `pnpm test:publish`: proves the release pipeline end to end with real parts. It builds the public packages,
// then takes the two ways a project can depend on them. Without a registry: packs each with `pnpm pack`,
// installs the tarballs together into an empty ESM project and runs the smoke program there
// (tools/publish/tarballs.mjs). Through a registry: starts a throwaway verdaccio on 127.0.0.1 (no uplinks), publishes them with `changeset publish` (as
// `pnpm release` does), lints the published tarballs with publint and attw, installs them by exact version
// into a fresh npm project outside the workspace, and runs the smoke program there (tools/publish/smoke.mjs).
// It prints the registry URL and the versions the consumer installed, and cleans up on success, failure and
// Ctrl-C alike.
//
// Options: --skip-build (use the packages' current dist/), --keep (leave the temp dir for inspection),
// --smoke=<step> (stop after imports | flounder | tsc | ping-pong; default: all of them),
// --only=tarballs|registry (take one of the two paths; default: both).
import { mkdir, mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createConsumer, installedVersions, installPackages } from "./publish/consumer.mjs";
import { buildPackages, discoverPackages, lintPublished, publishAll } from "./publish/packages.mjs";
import { killAll, PublishCheckError } from "./publish/proc.mjs";
import { runSmoke, SMOKE_STEPS } from "./publish/smoke.mjs";
import { installTarballs, packAll, tarballOrigins } from "./publish/tarballs.mjs";
import { startVerdaccio } from "./publish/verdaccio.mjs";

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/[/\\]$/, "");
const say = (/** @type {string} */ line) => console.log(line);

const PATHS = ["tarballs", "registry"];

/** @returns {{skipBuild: boolean, keep: boolean, smoke: string, paths: string[]}} */
function parseArgs(argv) {
  const opts = {
    skipBuild: false,
    keep: false,
    smoke: SMOKE_STEPS[SMOKE_STEPS.length - 1] ?? "ping-pong",
    paths: PATHS,
  };
  for (const arg of argv) {
    if (arg === "--skip-build") opts.skipBuild = true;
    else if (arg === "--keep") opts.keep = true;
    else if (arg.startsWith("--smoke=") && SMOKE_STEPS.includes(arg.slice(8))) opts.smoke = arg.slice(8);
    else if (arg.startsWith("--only=") && PATHS.includes(arg.slice(7))) opts.paths = [arg.slice(7)];
    else {
      console.error(`test:publish: unknown option ${arg}`);
      console.error(
        `usage: pnpm test:publish [--skip-build] [--keep] [--smoke=${SMOKE_STEPS.join("|")}] [--only=${PATHS.join("|")}]`,
      );
      process.exit(2);
    }
  }
  return opts;
}

/** Everything this run started or made, undone by {@link cleanUp} exactly once. */
const owned = {
  /** @type {(() => Promise<void>) | undefined} */ stopRegistry: undefined,
  tmp: "",
  keep: false,
};
let cleaned = false;

async function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  killAll();
  if (owned.stopRegistry) await owned.stopRegistry().catch(() => {});
  if (owned.tmp && !owned.keep) await rm(owned.tmp, { recursive: true, force: true }).catch(() => {});
  else if (owned.tmp) say(`test:publish: kept ${owned.tmp}`);
}

for (const [signal, code] of /** @type {const} */ ([
  ["SIGINT", 130],
  ["SIGTERM", 143],
])) {
  process.once(signal, () => {
    console.error(`\ntest:publish: ${signal}, cleaning up`);
    void cleanUp().finally(() => process.exit(code));
  });
}

/** What the run found out so far: printed at the end whether it passed or not. */
const summary = {
  registry: "",
  /** @type {{name: string, version: string, integrity: string}[] | undefined} */ installed: undefined,
  /** @type {string[] | undefined} */ fromTarballs: undefined,
  registryPath: true,
  printed: false,
  lintFailed: false,
};

function printSummary() {
  if (summary.printed) return;
  summary.printed = true;
  say("");
  if (summary.fromTarballs !== undefined) {
    say("installed from tarballs, no registry (read back from the consumer's lockfile):");
    for (const line of summary.fromTarballs) say(`  ${line}`);
  }
  if (!summary.registryPath) return;
  say(`registry: ${summary.registry || "(not started)"}`);
  if (summary.lintFailed) say("lint: publint/attw FAILED on a published tarball (details above)");
  if (summary.installed === undefined) {
    say("installed by the consumer: (nothing: the run stopped before the install)");
    return;
  }
  say("installed by the consumer (read back from its node_modules):");
  for (const i of summary.installed)
    say(`  ${i.name}@${i.version}  ${i.integrity.slice(0, 22)}… (= the registry's)`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  owned.keep = opts.keep;
  summary.registryPath = opts.paths.includes("registry");
  const started = Date.now();

  const pkgs = await discoverPackages(root);
  say(`test:publish: public packages: ${pkgs.map((p) => `${p.name}@${p.version}`).join(", ")}`);
  if (!opts.skipBuild) {
    say("test:publish: building them (turbo)");
    await buildPackages(root, pkgs);
  }

  // The consumer must live outside the workspace, or node would resolve @shoal/* from the workspace links.
  owned.tmp = await realpath(await mkdtemp(join(tmpdir(), "shoal-publish-")));
  const rel = relative(root, owned.tmp);
  if (!rel.startsWith(`..${sep}`) && rel !== "..") {
    throw new PublishCheckError(
      "setup",
      `temp dir ${owned.tmp} is inside the workspace; set TMPDIR elsewhere`,
    );
  }
  const dirs = {
    registry: join(owned.tmp, "registry"),
    packs: join(owned.tmp, "packs"),
    consumer: join(owned.tmp, "consumer"),
    localPacks: join(owned.tmp, "local-packs"),
    tarballConsumer: join(owned.tmp, "tarball-consumer"),
  };
  for (const d of Object.values(dirs)) await mkdir(d, { recursive: true });

  if (opts.paths.includes("tarballs")) {
    say("test:publish: no registry: pnpm pack each package, npm install the tarballs into an empty folder");
    const tarballs = await packAll(root, pkgs, dirs.localPacks);
    for (const t of tarballs) say(`  packed ${relative(owned.tmp, t)}`);
    await installTarballs(dirs.tarballConsumer, tarballs);
    summary.fromTarballs = await tarballOrigins(dirs.tarballConsumer, pkgs);
    await runSmoke(
      root,
      dirs.tarballConsumer,
      pkgs.map((p) => p.name),
      opts.smoke,
      say,
    );
  }
  if (!opts.paths.includes("registry")) {
    printSummary();
    say(`test:publish: passed (tarballs only) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return;
  }

  const registry = await startVerdaccio(dirs.registry);
  owned.stopRegistry = registry.stop;
  summary.registry = registry.url;
  say(`test:publish: verdaccio is up at ${registry.url} (no uplinks, storage in ${dirs.registry})`);

  say("test:publish: changeset publish --no-git-tag → local registry");
  await publishAll(root, registry.url, dirs.registry);

  await createConsumer(dirs.consumer, registry.url);
  say("test:publish: publint + attw (esm-only) on the published tarballs");
  const lint = await lintPublished(root, pkgs, dirs.packs, dirs.consumer);
  for (const line of lint.lines) say(`  ${line}`);
  if (lint.failure) {
    // Reported now and raised after the consumer steps, which are worth seeing either way.
    summary.lintFailed = true;
    say((lint.failure.output ?? "").replace(/^/gm, "  | "));
  }

  say(`test:publish: consumer in ${dirs.consumer}: npm install by exact version`);
  await installPackages(dirs.consumer, pkgs);
  summary.installed = await installedVersions(dirs.consumer, pkgs, registry.url);

  await runSmoke(
    root,
    dirs.consumer,
    pkgs.map((p) => p.name),
    opts.smoke,
    say,
  );

  if (lint.failure) throw new PublishCheckError("lint", "publint/attw reported errors (shown above)");
  printSummary();
  const skipped = SMOKE_STEPS.slice(SMOKE_STEPS.indexOf(opts.smoke) + 1);
  if (skipped.length > 0) say(`NOTE: smoke steps not run (--smoke=${opts.smoke}): ${skipped.join(", ")}`);
  say(`test:publish: passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

try {
  await main();
} catch (err) {
  process.exitCode = 1;
  if (err instanceof PublishCheckError) {
    console.error(`\ntest:publish FAILED at ${err.message}`);
    if (err.output) console.error(err.output.replace(/^/gm, "  | "));
  } else {
    console.error("\ntest:publish FAILED (bug in the check itself):", err);
  }
  printSummary();
} finally {
  await cleanUp();
}
