import { describe, expect, it } from "vitest";
import { DEFAULT_SVG, parseArgs } from "./args.js";
import { isBenchError } from "./errors.js";
import { DEFAULT_SUITE } from "./registry.js";

describe("parseArgs", () => {
  it("defaults to a full run of the default suite with a chart and no JSON", () => {
    expect(parseArgs([])).toEqual({
      help: false,
      suite: DEFAULT_SUITE,
      quick: false,
      json: null,
      svg: DEFAULT_SVG,
      only: null,
      markdown: false,
    });
    expect(DEFAULT_SUITE).toBe("runtime");
  });

  it("reads every option, and the suite wherever it stands", () => {
    const a = parseArgs([
      "--quick",
      "--json",
      "out.json",
      "caps",
      "--no-svg",
      "--only",
      "comlink,urpc",
      "--markdown",
    ]);
    expect(a).toMatchObject({ suite: "caps", quick: true, json: "out.json", svg: null, markdown: true });
    // Checked against the suite's parts once it is loaded, and kept in the order given.
    expect(a.only).toEqual(["comlink", "urpc"]);
    expect(parseArgs(["-h"]).help).toBe(true);
    expect(parseArgs(["--svg", "c.svg"]).svg).toBe("c.svg");
    expect(parseArgs(["net", "--quick"])).toMatchObject({ suite: "net", quick: true });
  });

  it.each([
    [["--frobnicate"], /unknown option "--frobnicate"/],
    [["--json"], /--json needs a value/],
    [["--json", "--quick"], /--json needs a value/],
    [["--only", "urpc,,port"], /--only: empty name/],
    [["caps", "net"], /one suite at a time: got "caps" and "net"/],
  ])("rejects %j with BAD_ARGS", (argv, message) => {
    let caught: unknown;
    try {
      parseArgs(argv);
    } catch (e) {
      caught = e;
    }
    expect(isBenchError(caught, "BAD_ARGS")).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });
});
