import { describe, expect, it } from "vitest";
import { measureMprotect, mprotectSource } from "./mprotect.js";
import { chartsSvg } from "./svg.js";

describe("the bench helpers", () => {
  it("draws one group per chart, a path per series, dashed ones dashed, and escapes labels", () => {
    const svg = chartsSvg([
      {
        title: "a <b>",
        xLabel: "cores",
        yLabel: "µs",
        series: [
          {
            label: "x",
            color: "#000",
            points: [
              [2, 1],
              [4, 2],
            ],
          },
          {
            label: "y",
            color: "#111",
            dashed: true,
            points: [
              [2, 3],
              [32, Number.NaN],
            ],
          },
        ],
      },
      { title: "second", xLabel: "c", yLabel: "v", series: [] },
    ]);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<g transform/g)).toHaveLength(2);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2);
    expect(svg).toContain("a &lt;b&gt;");
    expect(svg).not.toContain("NaN");
  });

  it("finds the C source and measures mprotect with the system's cc", () => {
    expect(mprotectSource()).toMatch(/native\/mprotect-bench\.c$/);
    const [one, two] = measureMprotect([1, 2], 20);
    expect(one?.threads).toBe(1);
    expect(two?.threads).toBe(2);
    expect(one?.medianNs).toBeGreaterThan(0);
    expect(one?.p90Ns).toBeGreaterThanOrEqual(one?.medianNs ?? 0);
  });
});
