/**
 * Any suite's tables as text for the terminal or as GitHub Markdown. Columns are padded to their widest
 * cell and aligned as the table says (by default the first column left, the others right). A row shorter
 * than the columns is a note row (`skipped: reason`): its leading cells are padded as usual and its last
 * cell runs on unpadded, and it does not widen the columns.
 */
import type { SuiteTable } from "../contract.js";

type Align = "left" | "right";

function alignments(table: SuiteTable): Align[] {
  return table.columns.map((_, c) => table.align?.[c] ?? (c === 0 ? "left" : "right"));
}

function isNote(table: SuiteTable, row: readonly string[]): boolean {
  return row.length < table.columns.length;
}

/** Fixed-width text: the header, a rule, the rows. */
export function textTable(table: SuiteTable): string {
  const align = alignments(table);
  const full = [table.columns, ...table.rows.filter((r) => !isNote(table, r))];
  const widths = table.columns.map((_, c) => Math.max(...full.map((r) => r[c]?.length ?? 0)));
  const pad = (cell: string, c: number) =>
    align[c] === "left" ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0);
  const line = (row: readonly string[]) => {
    if (!isNote(table, row)) return row.map(pad).join("  ");
    // A note row's leading cells are all padded on the right: its note starts at one column.
    const last = row.length - 1;
    return [...row.slice(0, last).map((cell, c) => cell.padEnd(widths[c] ?? 0)), row[last]].join("  ");
  };
  const rule = "-".repeat(widths.reduce((a, w) => a + w + 2, -2));
  return [line(table.columns), rule, ...table.rows.map(line)].join("\n");
}

/** A GitHub Markdown table (note rows filled up with empty cells). */
export function markdownTable(table: SuiteTable): string {
  const line = (r: readonly string[]) => `| ${r.join(" | ")} |`;
  const fill = (r: readonly string[]) => [
    ...r,
    ...Array<string>(Math.max(0, table.columns.length - r.length)).fill(""),
  ];
  const rule = alignments(table).map((a) => (a === "left" ? "---" : "---:"));
  return [line(table.columns), line(rule), ...table.rows.map((r) => line(fill(r)))].join("\n");
}
