import { describe, expect, it } from "vitest";
import { DEFAULT_SVG, parseArgs } from "./args.js";
import { isBenchError } from "./errors.js";
import { TRANSPORTS } from "./results.js";

describe("parseArgs", () => {
  it("defaults to a full run of every transport with a chart and no JSON", () => {
    expect(parseArgs([])).toEqual({
      help: false,
      quick: false,
      json: null,
      svg: DEFAULT_SVG,
      transports: TRANSPORTS,
      markdown: false,
    });
  });

  it("reads every option", () => {
    const a = parseArgs([
      "--quick",
      "--json",
      "out.json",
      "--no-svg",
      "--only",
      "comlink,urpc",
      "--markdown",
    ]);
    expect(a).toMatchObject({ quick: true, json: "out.json", svg: null, markdown: true });
    expect(a.transports).toEqual(["urpc", "comlink"]);
    expect(parseArgs(["-h"]).help).toBe(true);
    expect(parseArgs(["--svg", "c.svg"]).svg).toBe("c.svg");
  });

  it.each([
    [["--frobnicate"], /unknown option "--frobnicate"/],
    [["--json"], /--json needs a value/],
    [["--json", "--quick"], /--json needs a value/],
    [["--only", "urpc,carrier-pigeon"], /unknown transport "carrier-pigeon"/],
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
