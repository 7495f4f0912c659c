/**
 * The suites the runner knows: each is `@shoal/<name>/bench`, a package's `bench/index.ts` built to
 * `dist/bench/index.js` and exported as `"./bench"`, exporting `suite` (docs/benchmarks.md, "Suites").
 * Only the suite asked for is imported, so a package that is missing or broken costs the others nothing.
 * A suite whose package is not a dependency of apps/bench yet is still listed: asking for it says what is
 * missing, and once the dependency is added it just runs.
 */
import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchSuite, isBenchSuite } from "./contract.js";
import { BenchError, describeError, errorCode } from "./errors.js";

/** One known suite. */
export interface KnownSuite {
  /** What `pnpm bench NAME` takes: the package name without the scope. */
  readonly name: string;
  /** One line for `--help`. */
  readonly about: string;
  /** The package (without the scope) that exports it, when that is not `name`. */
  readonly package?: string;
}

/** Every suite the runner knows, the default first. */
export const SUITES: readonly KnownSuite[] = [
  {
    name: "runtime",
    about: "transports (urpc, lrpc, port) against raw SharedArrayBuffer, postMessage and Comlink",
  },
  {
    name: "caps",
    about: "capability operations, local and distributed (retype, copy, revoke, map, translate)",
  },
  { name: "skb", about: "the system knowledge base's queries" },
  { name: "net", about: "the network stack" },
  {
    name: "kernel",
    about: "the booted OS: LRPC and URPC between domains, bind, spawn, boot time (Tables 1 and 2)",
    package: "monitor",
  },
  {
    name: "shootdown",
    about: "TLB shootdown protocols and two-phase commit: simulated 8x4 AMD, real cores, Linux mprotect",
  },
  {
    name: "threads",
    about: "synchronisation primitives and Figure 9: NAS CG/FT/IS and Barnes-Hut vs plain worker_threads",
  },
];

/** The suite `pnpm bench` runs without a name. */
export const DEFAULT_SUITE = "runtime";

/** The known suite called `name`; UNKNOWN_SUITE, listing the known ones, for any other name. */
export function findSuite(name: string): KnownSuite {
  const known = SUITES.find((s) => s.name === name);
  if (known === undefined) {
    throw new BenchError(
      "UNKNOWN_SUITE",
      `unknown suite ${JSON.stringify(name)} (known: ${SUITES.map((s) => s.name).join(", ")})`,
    );
  }
  return known;
}

/** The module specifier of a suite: `@shoal/<name>/bench`. */
export function suiteSpecifier(name: string): string {
  return `@shoal/${name}/bench`;
}

/** How {@link loadSuite} finds and imports modules (tests replace them). */
export interface SuiteLoader {
  /** Resolves a specifier from apps/bench (throws Node's resolution errors). */
  resolve(specifier: string): string;
  /** True when the file at `url` exists. */
  exists(url: string): boolean;
  /** Imports the module at `url`. */
  load(url: string): Promise<Record<string, unknown>>;
  /** True when the repository has `packages/<name>` (to tell "not merged yet" from "not a dependency"). */
  inCheckout(name: string): boolean;
}

/** Node's own resolution, from this module (inside apps/bench). */
export const nodeLoader: SuiteLoader = {
  resolve: (specifier) => import.meta.resolve(specifier),
  exists: (url) => existsSync(fileURLToPath(url)),
  load: (url) => import(url) as Promise<Record<string, unknown>>,
  // src/ and dist/ are both one level inside apps/bench.
  inCheckout: (name) =>
    existsSync(fileURLToPath(new URL(`../../../packages/${name}/package.json`, import.meta.url))),
};

/**
 * Imports the suite `known` and checks its shape. SUITE_MISSING says which piece is missing (the package
 * in the checkout, the apps/bench dependency, the `./bench` export, the build); SUITE_INVALID that the
 * module loads but exports no suite.
 */
export async function loadSuite(known: KnownSuite, loader: SuiteLoader = nodeLoader): Promise<BenchSuite> {
  const dir = known.package ?? known.name;
  const specifier = suiteSpecifier(dir);
  const pkg = `@shoal/${dir}`;
  let url: string;
  try {
    url = loader.resolve(specifier);
  } catch (e) {
    const code = errorCode(e);
    if (code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
      throw new BenchError(
        "SUITE_MISSING",
        `suite ${known.name}: ${pkg} has no "./bench" export (add "./bench": { "types": "./dist/bench/index.d.ts", "import": "./dist/bench/index.js" } to packages/${dir}/package.json)`,
      );
    }
    if (code === "ERR_MODULE_NOT_FOUND") {
      throw new BenchError(
        "SUITE_MISSING",
        loader.inCheckout(dir)
          ? `suite ${known.name}: ${pkg} is not a dependency of apps/bench (add "${pkg}": "workspace:*" to apps/bench/package.json, then pnpm install)`
          : `suite ${known.name}: ${pkg} is not in this checkout (no packages/${dir}/package.json)`,
      );
    }
    throw new BenchError(
      "SUITE_MISSING",
      `suite ${known.name}: ${specifier} does not resolve (${describeError(e)})`,
      {
        cause: e,
      },
    );
  }
  if (!loader.exists(url)) {
    throw new BenchError(
      "SUITE_MISSING",
      `suite ${known.name}: ${specifier} is not built (${realFile(fileURLToPath(url))} is missing; run pnpm build)`,
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = await loader.load(url);
  } catch (e) {
    throw new BenchError(
      "SUITE_INVALID",
      `suite ${known.name}: ${specifier} does not load (${describeError(e)})`,
      {
        cause: e,
      },
    );
  }
  const suite = mod.suite;
  if (!isBenchSuite(suite)) {
    throw new BenchError(
      "SUITE_INVALID",
      `suite ${known.name}: ${specifier} exports no \`suite\` of the suite contract ({ name, title, run(ctx) }; docs/benchmarks.md)`,
    );
  }
  return suite;
}

/**
 * `path` with its deepest existing directory's symlinks resolved: packages/caps/dist/bench/index.js
 * rather than apps/bench/node_modules/@shoal/caps/dist/bench/index.js.
 */
function realFile(path: string): string {
  const rest: string[] = [];
  let dir = path;
  while (!existsSync(dir) && dirname(dir) !== dir) {
    rest.unshift(basename(dir));
    dir = dirname(dir);
  }
  try {
    return join(realpathSync(dir), ...rest);
  } catch {
    return path;
  }
}
