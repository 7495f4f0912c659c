/**
 * Benchmark of the front end on the Barrelfish corpus (corpus/barrelfish/if): `pnpm bench` in packages/idl.
 *
 * 1. In process: parse only, and parse+check (with the default includes), of all 64 interfaces per
 *    iteration, after a warm-up; median and p99 per iteration, throughput in MB/s.
 * 2. Cold: a new process checking the whole corpus, timed from spawn to exit (median of several), for
 *    the idl package alone and, when built, the real `flounder` CLI (`node tools/flounder.mjs` and
 *    `pnpm flounder`).
 *
 * Prints a table and writes `<repo>/bench-results/idl-corpus.json` with the machine it ran on.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { check, parse } from "../src/index.js";
import { corpusDir, repoRoot } from "../test/corpus-dir.js";

const dir = corpusDir();
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".if") && f !== "types.if")
  .sort()
  .map((f) => ({ file: f, text: readFileSync(join(dir, f), "utf8") }));
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
const root = repoRoot();

interface Stats {
  readonly median: number;
  readonly p99: number;
  readonly min: number;
  readonly n: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  return { median: at(0.5), p99: at(0.99), min: s[0] ?? Number.NaN, n: s.length };
}

/** Runs `fn` repeatedly for about `ms` after `warmup` runs; returns per-run milliseconds. */
function measure(fn: () => void, warmup: number, ms: number): Stats {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end || samples.length < 10) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

let sink = 0;
const parseOnly = measure(
  () => {
    for (const f of files) sink += parse(f.text, f.file).diagnostics.length;
  },
  20,
  3000,
);
const parseCheck = measure(
  () => {
    for (const f of files) {
      const r = check(f.text, f.file);
      if (!r.model) throw new Error(`${f.file} did not check`);
      sink += r.diagnostics.length;
    }
  },
  20,
  3000,
);

/** Median wall time of `runs` fresh processes running `cmd args`, or undefined if it fails. */
function cold(cmd: string, args: string[], runs: number, cwd: string): Stats | undefined {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { cwd, stdio: "ignore", timeout: 60_000 });
    if (r.status !== 0) return undefined;
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

const paths = files.map((f) => join(dir, f.file));
const script = fileURLToPath(new URL("../scripts/check-corpus.js", import.meta.url));
const flounderBuilt = existsSync(join(root, "packages/flounder/dist/cli.js"));
const coldRuns: Record<string, Stats | undefined> = {
  "node check-corpus.js (idl only)": cold(process.execPath, [script, "--quiet"], 10, root),
  ...(flounderBuilt
    ? {
        "node tools/flounder.mjs check <64 files>": cold(
          process.execPath,
          ["tools/flounder.mjs", "check", ...paths],
          10,
          root,
        ),
        "pnpm flounder check <64 files>": cold("pnpm", ["flounder", "check", ...paths], 5, root),
      }
    : {}),
};

const mb = bytes / 1e6;
const rows = [
  ["parse (64 files)", parseOnly],
  ["parse+check (64 files)", parseCheck],
] as const;
console.log(
  `corpus: ${files.length} interfaces, ${bytes} bytes; node ${process.version}; ${cpus()[0]?.model ?? "?"}`,
);
console.log("in process            median ms   p99 ms    MB/s (median)   runs");
for (const [name, s] of rows) {
  console.log(
    `${name.padEnd(22)}${s.median.toFixed(2).padStart(9)}${s.p99.toFixed(2).padStart(9)}${(mb / (s.median / 1000)).toFixed(2).padStart(16)}${String(s.n).padStart(7)}`,
  );
}
console.log("cold process                               median ms   min ms   runs");
for (const [name, s] of Object.entries(coldRuns)) {
  console.log(
    `${name.padEnd(43)}${s ? s.median.toFixed(0).padStart(9) : "   failed"}${s ? s.min.toFixed(0).padStart(9) : ""}${s ? String(s.n).padStart(7) : ""}`,
  );
}
if (!flounderBuilt) console.log("(packages/flounder is not built: the flounder CLI rows are missing)");

const out = join(root, "bench-results");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "idl-corpus.json"),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: {
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        memoryBytes: totalmem(),
        node: process.version,
      },
      corpus: { files: files.length, bytes },
      inProcess: Object.fromEntries(rows.map(([n, s]) => [n, { ...s, mbPerSecond: mb / (s.median / 1000) }])),
      cold: coldRuns,
      sink,
    },
    null,
    2,
  )}\n`,
);
