import { describe, expect, it } from "vitest";
import { formatNs, formatRate, formatRatio } from "./format.js";

describe("formatting", () => {
  it("keeps three significant digits and never prints an exponent", () => {
    expect([1.234, 25.04, 370.2, 41_300].map(formatRatio)).toEqual(["1.23×", "25.0×", "370×", "41300×"]);
    expect([102, 1234, 7_750_000].map(formatNs)).toEqual(["102 ns", "1.23 µs", "7.75 ms"]);
    expect([40.6e6, 512e3].map(formatRate)).toEqual(["40.6 M/s", "512 k/s"]);
  });
});
