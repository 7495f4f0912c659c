#!/usr/bin/env node
// Where a big boot goes: the wall time of `Machine.boot` (median of N boots, each halted), the time one
// core's worker takes to import what the core entry imports (core-main.js's static imports, in a fresh
// worker on an otherwise idle machine, median of M workers), and the modules and bytes a core loads at
// start (the static import graph of core-main.js, walked from the built files; dynamic `import()` is
// not followed, since that code loads on first use).
//
// Several monitor builds can be compared in the same run, alternated boot by boot:
//   node tools/measure/boot-64.mjs [--cores 64] [--runs 3] [--imports 10] [--dist DIR]...
// where DIR is a monitor dist folder (default: this worktree's packages/monitor/dist); pass e.g.
// `--dist packages/monitor/dist --dist /work/main/packages/monitor/dist`. Numbers, not a test: on a
// shared 2-CPU machine they move with whatever else runs, so the load average is printed with them.
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const CORES = opt("--cores", 64);
const RUNS = opt("--runs", 3);
const IMPORTS = opt("--imports", 10);
const dists = args.flatMap((a, i) => (a === "--dist" ? [resolve(args[i + 1])] : []));
if (dists.length === 0) dists.push(fileURLToPath(new URL("../../packages/monitor/dist", import.meta.url)));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[s.length >> 1];
};
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

// ---- The static import graph of the core entry ----

/** The file a bare `@shoal/x[/sub]` specifier names, from the package's exports map ("import"). */
function resolveBare(spec, fromFile) {
  const parts = spec.split("/");
  const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  const sub = spec.slice(name.length);
  let dir = dirname(fromFile);
  for (;;) {
    const pj = join(dir, "node_modules", name, "package.json");
    if (existsSync(pj)) {
      const pkg = JSON.parse(readFileSync(pj, "utf8"));
      const e = pkg.exports?.[`.${sub}`] ?? (sub === "" ? pkg.main : undefined);
      const target = typeof e === "string" ? e : (e?.import ?? e?.default);
      if (target === undefined) return null;
      return realpathSync(join(dirname(pj), target));
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Every module core-main.js loads before it runs (node: builtins left out), with its size. */
function importGraph(entry) {
  const seen = new Map();
  const todo = [entry];
  const re =
    /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']/g;
  while (todo.length > 0) {
    const f = todo.pop();
    if (seen.has(f)) continue;
    const text = readFileSync(f, "utf8");
    seen.set(f, text.length);
    for (const m of text.matchAll(re)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith("node:")) continue;
      // `import type` is erased by tsc, so a built file has none; relative or bare otherwise.
      const to = spec.startsWith(".") ? resolve(dirname(f), spec) : resolveBare(spec, f);
      if (to !== null && existsSync(to)) todo.push(to);
    }
  }
  return seen;
}

/** The static import specifiers of core-main.js, resolved to file URLs. */
function entryImports(entry) {
  const text = readFileSync(entry, "utf8");
  const out = [];
  for (const m of text.matchAll(/(?:^|\n)import\s[^;]*?from\s*["']([^"']+)["']/g)) {
    const spec = m[1];
    if (spec.startsWith("node:")) continue;
    const to = spec.startsWith(".") ? resolve(dirname(entry), spec) : resolveBare(spec, entry);
    if (to !== null) out.push(pathToFileURL(to).href);
  }
  return out;
}

/** One fresh worker importing `urls` (what core-main imports); resolves with the ms it took. */
function importOnce(urls) {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const s = performance.now();
    Promise.all(workerData.map((u) => import(u))).then(
      () => parentPort.postMessage({ ms: performance.now() - s }),
      (e) => parentPort.postMessage({ error: String(e) }),
    );`;
  return new Promise((res, rej) => {
    const w = new Worker(code, { eval: true, workerData: urls });
    w.once("message", (m) => {
      w.terminate();
      if (m.error !== undefined) rej(new Error(m.error));
      else res(m);
    });
    w.once("error", rej);
  });
}

// ---- Run ----

console.log(`node ${process.version}; load at start ${load()}; ${CORES} cores, ${RUNS} boots per build`);
const builds = [];
for (const dist of dists) {
  const entry = join(dist, "core/core-main.js");
  const graph = importGraph(entry);
  const bytes = [...graph.values()].reduce((a, b) => a + b, 0);
  const { Machine } = await import(pathToFileURL(join(dist, "index.js")).href);
  builds.push({ dist, entry, Machine, modules: graph.size, bytes, boots: [], imports: [] });
}

// Alternated build by build, so that both see the same load.
for (let i = 0; i < IMPORTS; i++)
  for (const b of builds) {
    const r = await importOnce(entryImports(b.entry));
    b.imports.push(r.ms);
  }

for (let r = 0; r < RUNS; r++)
  for (const b of builds) {
    const before = load();
    const m = await b.Machine.boot({ cores: CORES });
    b.boots.push(m.bootMs.total);
    await m.halt();
    console.log(`  boot ${r + 1} ${b.dist}: ${m.bootMs.total.toFixed(0)} ms (load ${before})`);
  }

console.log("");
console.log(
  "| build | modules at start | KB | import ms (median, one idle worker) | boot ms (median) | boots |",
);
console.log("|---|---|---|---|---|---|");
for (const b of builds)
  console.log(
    `| ${b.dist} | ${b.modules} | ${(b.bytes / 1024).toFixed(0)} | ${median(b.imports).toFixed(1)} | ${median(b.boots).toFixed(0)} | ${b.boots.map((x) => x.toFixed(0)).join(", ")} |`,
  );
console.log(`load at end ${load()}`);
if (args.includes("--list"))
  for (const b of builds) {
    console.log(`\n${b.dist}:`);
    for (const [f, n] of [...importGraph(b.entry)].sort((x, y) => y[1] - x[1]))
      console.log(`  ${(n / 1024).toFixed(1).padStart(7)} KB  ${f}`);
  }
