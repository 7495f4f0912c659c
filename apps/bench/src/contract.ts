/**
 * The benchmark suite contract, as the runner sees it (docs/benchmarks.md, "Suites"). Each package
 * declares the same types in its own bench/ (no package depends on apps/bench); the runner checks what a
 * suite module exports with {@link isBenchSuite} before it runs it, and each report with
 * {@link checkReport}. The optional members extend the team's base contract compatibly.
 */

/** What {@link BenchSuite.run} gets. */
export interface SuiteContext {
  readonly quick: boolean;
  /** A line that stays, on stderr. */
  log(line: string): void;
  /** A transient progress line (a terminal redraws it in place). */
  step?(label: string): void;
  /** The parts `--only` chose (names from {@link BenchSuite.parts}); absent means all. */
  readonly only?: readonly string[];
  /** One line describing the machine (the runner's `machine:` line). */
  readonly machine?: string;
}

/** One table: printed as aligned text, and as Markdown with `--markdown`. */
export interface SuiteTable {
  readonly title: string;
  readonly columns: readonly string[];
  /** Rows of cells; a shorter row is a note row whose last cell runs on over the remaining columns. */
  readonly rows: readonly (readonly string[])[];
  /** Lines under the table, after a blank line. */
  readonly notes?: readonly string[];
  /** Alignment per column; default: the first column left, the others right. */
  readonly align?: readonly ("left" | "right")[];
}

/** What a run produced. */
export interface SuiteReport {
  readonly tables: readonly SuiteTable[];
  /** The `--json FILE` document, written after the runner's `machine` key. */
  readonly json: Readonly<Record<string, unknown>>;
  /** An SVG chart for `--svg FILE` (default bench.svg). */
  readonly svg?: string;
  /** Failed tests, one line each: the command fails after printing and writing everything. */
  readonly failures?: readonly string[];
}

/** The names `--only` accepts and what they are called ("transport"). */
export interface SuiteParts {
  readonly noun: string;
  readonly names: readonly string[];
}

/** A package's benchmark suite. */
export interface BenchSuite {
  readonly name: string;
  readonly title: string;
  readonly parts?: SuiteParts;
  run(ctx: SuiteContext): Promise<SuiteReport>;
}

const isStrings = (v: unknown): v is readonly string[] =>
  Array.isArray(v) && v.every((s) => typeof s === "string");

/** True when `v` has the shape of a {@link BenchSuite} (what a suite module's `suite` export must be). */
export function isBenchSuite(v: unknown): v is BenchSuite {
  if (typeof v !== "object" || v === null) return false;
  const s = v as Record<string, unknown>;
  if (typeof s.name !== "string" || typeof s.title !== "string" || typeof s.run !== "function") return false;
  if (s.parts === undefined) return true;
  const p = s.parts as Record<string, unknown> | null;
  return typeof p === "object" && p !== null && typeof p.noun === "string" && isStrings(p.names);
}

/**
 * What is wrong with a value a suite's run resolved with (null when it is a {@link SuiteReport}), so a
 * malformed report fails with a message instead of a crash in the printer.
 */
export function checkReport(v: unknown): string | null {
  if (typeof v !== "object" || v === null) return "the report is not an object";
  const r = v as Record<string, unknown>;
  if (!Array.isArray(r.tables)) return "report.tables is not an array";
  for (const [i, t] of (r.tables as unknown[]).entries()) {
    const table = t as Record<string, unknown> | null;
    const where = `report.tables[${i}]`;
    if (typeof table !== "object" || table === null) return `${where} is not an object`;
    if (typeof table.title !== "string") return `${where}.title is not a string`;
    if (!isStrings(table.columns)) return `${where}.columns is not a list of strings`;
    if (!Array.isArray(table.rows) || !table.rows.every(isStrings)) {
      return `${where}.rows is not a list of rows of strings`;
    }
    if (table.notes !== undefined && !isStrings(table.notes))
      return `${where}.notes is not a list of strings`;
    if (
      table.align !== undefined &&
      !(Array.isArray(table.align) && table.align.every((a) => a === "left" || a === "right"))
    ) {
      return `${where}.align is not a list of "left" / "right"`;
    }
  }
  if (typeof r.json !== "object" || r.json === null || Array.isArray(r.json))
    return "report.json is not an object";
  if (r.svg !== undefined && typeof r.svg !== "string") return "report.svg is not a string";
  if (r.failures !== undefined && !isStrings(r.failures)) return "report.failures is not a list of strings";
  return null;
}
