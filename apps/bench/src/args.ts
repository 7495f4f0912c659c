/** Command-line options of `pnpm bench`; malformed input is a BAD_ARGS error, never a stack trace. */
import { BenchError } from "./errors.js";
import { DEFAULT_SUITE, SUITES } from "./registry.js";

/** Parsed options. */
export interface BenchArgs {
  readonly help: boolean;
  /** The suite to run (checked against the registry when it is looked up). */
  readonly suite: string;
  readonly quick: boolean;
  /** Where to write the JSON results, or null. */
  readonly json: string | null;
  /** Where to write the suite's chart (if it draws one), or null for none. */
  readonly svg: string | null;
  /** `--only`: the parts of the suite to run (checked against the suite's parts), or null for all. */
  readonly only: readonly string[] | null;
  /** Also print the tables as Markdown (for docs and the README). */
  readonly markdown: boolean;
}

/** Where the chart goes when no `--svg` is given. */
export const DEFAULT_SVG = "bench.svg";

/** The `--help` text. */
export const USAGE = `Usage: pnpm bench [SUITE] [options]

Runs one package's benchmark suite (@shoal/SUITE/bench) and prints its tables; every figure is
compared with baselines measured in the same run. SUITE (default: ${DEFAULT_SUITE}):
${SUITES.map((s) => `  ${s.name.padEnd(19)}${s.about}`).join("\n")}

Options:
  --quick              fewer iterations (finishes within two minutes)
  --json FILE          write { machine, ...the suite's results } to FILE
  --svg FILE           write the suite's chart, if it draws one, to FILE (default: ${DEFAULT_SVG})
  --no-svg             do not write a chart
  --only LIST          comma-separated parts of the suite to run (runtime: its transports,
                       urpc, lrpc, port, raw-sab, postmessage, comlink)
  --markdown           also print the tables as Markdown
  -h, --help           show this help

The tables go to stdout, progress to stderr. Run it on a quiet machine: the runtime suite keeps both
cores busy, and anything else running halves the numbers. Method: docs/benchmarks.md.`;

/** Parses `argv` (without `node` and the script). */
export function parseArgs(argv: readonly string[]): BenchArgs {
  let help = false;
  let suite: string | null = null;
  let quick = false;
  let json: string | null = null;
  let svg: string | null = DEFAULT_SVG;
  let markdown = false;
  let only: readonly string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith("--")) throw new BenchError("BAD_ARGS", `${arg} needs a value`);
      i += 1;
      return v;
    };
    switch (arg) {
      case "-h":
      case "--help":
        help = true;
        break;
      case "--quick":
        quick = true;
        break;
      case "--json":
        json = value();
        break;
      case "--svg":
        svg = value();
        break;
      case "--no-svg":
        svg = null;
        break;
      case "--markdown":
        markdown = true;
        break;
      case "--only":
        only = parseList(value());
        break;
      default:
        if (arg.startsWith("-")) {
          throw new BenchError("BAD_ARGS", `unknown option ${JSON.stringify(arg)} (see --help)`);
        }
        if (suite !== null) {
          throw new BenchError(
            "BAD_ARGS",
            `one suite at a time: got ${JSON.stringify(suite)} and ${JSON.stringify(arg)}`,
          );
        }
        suite = arg;
    }
  }
  return { help, suite: suite ?? DEFAULT_SUITE, quick, json, svg, only, markdown };
}

function parseList(list: string): string[] {
  const names = list.split(",").map((s) => s.trim());
  if (names.some((n) => n === ""))
    throw new BenchError("BAD_ARGS", `--only: empty name in ${JSON.stringify(list)}`);
  return names;
}
