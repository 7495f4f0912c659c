import { describe, expect, it } from "vitest";
import type { SuiteTable } from "../contract.js";
import { markdownTable, textTable } from "./table.js";

const TABLE: SuiteTable = {
  title: "t",
  columns: ["name", "kind", "n", "rate"],
  rows: [
    ["alpha", "x", "1", "10 M/s"],
    ["b", "longer kind", "200", "9 k/s"],
  ],
  align: ["left", "left", "right", "right"],
};

describe("textTable", () => {
  it("pads every column to its widest cell, aligned as the table says, under a rule", () => {
    expect(textTable(TABLE).split("\n")).toEqual([
      "name   kind           n    rate",
      "-------------------------------",
      "alpha  x              1  10 M/s",
      "b      longer kind  200   9 k/s",
    ]);
  });

  it("runs a short row's last cell on over the remaining columns without widening them", () => {
    const lines = textTable({ ...TABLE, rows: [...TABLE.rows, ["d", "z", "skipped: calls only"]] }).split(
      "\n",
    );
    expect(lines[1]).toHaveLength(31);
    // A note row's leading cells are padded on the right, even in a right-aligned column.
    expect(lines.at(-1)).toBe("d      z            skipped: calls only");
  });

  it("aligns the first column left and the others right by default", () => {
    const { align: _, ...plain } = TABLE;
    expect(textTable(plain).split("\n")[2]).toBe("alpha            x    1  10 M/s");
  });
});

describe("markdownTable", () => {
  it("writes the alignment row and fills a short row up with empty cells", () => {
    const md = markdownTable({ ...TABLE, rows: [["d", "z", "skipped: calls only"]] }).split("\n");
    expect(md).toEqual([
      "| name | kind | n | rate |",
      "| --- | --- | ---: | ---: |",
      "| d | z | skipped: calls only |  |",
    ]);
  });
});
