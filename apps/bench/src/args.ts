/** Command-line options of `pnpm bench`; malformed input is a BAD_ARGS error, never a stack trace. */
import { BenchError } from "./errors.js";
import { TRANSPORTS, type TransportName } from "./results.js";

/** Parsed options. */
export interface BenchArgs {
  readonly help: boolean;
  readonly quick: boolean;
  /** Where to write the JSON results, or null. */
  readonly json: string | null;
  /** Where to write the SVG chart, or null for none. */
  readonly svg: string | null;
  /** Transports to run, in the order of {@link TRANSPORTS}. */
  readonly transports: readonly TransportName[];
  /** Also print the table as Markdown (for docs/benchmarks.md). */
  readonly markdown: boolean;
}

/** Where the chart goes when no `--svg` is given. */
export const DEFAULT_SVG = "bench.svg";

/** The `--help` text. */
export const USAGE = `Usage: pnpm bench [options]

Measures shoal's transports (urpc, lrpc, port, through stubs generated from interfaces/bench.if)
against three baselines in the same run: raw-sab (hand-written SharedArrayBuffer, the floor),
postmessage (worker postMessage) and comlink (Comlink 4 RPC).
Tests: ping-pong round trip, rpc round trip, pipelined one-way throughput (16 in flight) at
8, 64, 256 and 2048-byte payloads. Median and p99 after a warm-up.

Options:
  --quick              fewer iterations (finishes within two minutes)
  --json FILE          write { machine, settings, results, skipped, targets } to FILE
  --svg FILE           write the chart to FILE (default: ${DEFAULT_SVG})
  --no-svg             do not write a chart
  --only LIST          comma-separated transports to run (${TRANSPORTS.join(", ")})
  --markdown           also print the table as Markdown
  -h, --help           show this help

The table goes to stdout, progress to stderr. Run it on a quiet machine: every test keeps both
cores busy, and anything else running halves the numbers.`;

/** Parses `argv` (without `node` and the script). */
export function parseArgs(argv: readonly string[]): BenchArgs {
  let help = false;
  let quick = false;
  let json: string | null = null;
  let svg: string | null = DEFAULT_SVG;
  let markdown = false;
  let transports: readonly TransportName[] = TRANSPORTS;
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
        transports = parseTransports(value());
        break;
      default:
        throw new BenchError("BAD_ARGS", `unknown option ${JSON.stringify(arg)} (see --help)`);
    }
  }
  return { help, quick, json, svg, transports, markdown };
}

function parseTransports(list: string): TransportName[] {
  const names = list.split(",").map((s) => s.trim());
  for (const name of names) {
    if (!(TRANSPORTS as readonly string[]).includes(name)) {
      throw new BenchError(
        "BAD_ARGS",
        `--only: unknown transport ${JSON.stringify(name)} (known: ${TRANSPORTS.join(", ")})`,
      );
    }
  }
  return TRANSPORTS.filter((t) => names.includes(t));
}
