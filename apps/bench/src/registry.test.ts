import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { isBenchError } from "./errors.js";
import { DEFAULT_SUITE, findSuite, loadSuite, SUITES, type SuiteLoader, suiteSpecifier } from "./registry.js";

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

const nodeError = (code: string, message: string) => Object.assign(new Error(message), { code });

const SUITE = { name: "caps", title: "caps", run: async () => ({ tables: [], json: {} }) };
const URL_OK = pathToFileURL("/repo/packages/caps/dist/bench/index.js").href;

/** A loader where every step succeeds unless a test overrides it. */
function loader(overrides: Partial<SuiteLoader> = {}): SuiteLoader {
  return {
    resolve: () => URL_OK,
    exists: () => true,
    load: async () => ({ suite: SUITE }),
    inCheckout: () => true,
    ...overrides,
  };
}

describe("findSuite", () => {
  it("knows the runtime suite (the default) and the OS packages' suites", () => {
    expect(SUITES.map((s) => s.name)).toEqual([
      "runtime",
      "caps",
      "skb",
      "net",
      "kernel",
      "shootdown",
      "threads",
    ]);
    expect(SUITES[0]?.name).toBe(DEFAULT_SUITE);
    expect(findSuite("caps").name).toBe("caps");
    expect(suiteSpecifier("caps")).toBe("@shoal/caps/bench");
  });

  it("rejects any other name with UNKNOWN_SUITE, listing the known ones", () => {
    let caught: unknown;
    try {
      findSuite("cap");
    } catch (e) {
      caught = e;
    }
    expect(isBenchError(caught, "UNKNOWN_SUITE")).toBe(true);
    expect((caught as Error).message).toBe(
      'unknown suite "cap" (known: runtime, caps, skb, net, kernel, shootdown, threads)',
    );
  });
});

describe("loadSuite", () => {
  const caps = findSuite("caps");

  it("imports only the suite asked for, from its package's ./bench export", async () => {
    const asked: string[] = [];
    const suite = await loadSuite(
      caps,
      loader({
        resolve: (s) => {
          asked.push(s);
          return URL_OK;
        },
      }),
    );
    expect(suite).toBe(SUITE);
    expect(asked).toEqual(["@shoal/caps/bench"]);
  });

  it("finds a suite whose package has another name (kernel is @shoal/monitor's)", async () => {
    const asked: string[] = [];
    await loadSuite(
      findSuite("kernel"),
      loader({
        resolve: (s) => {
          asked.push(s);
          return URL_OK;
        },
      }),
    );
    expect(asked).toEqual(["@shoal/monitor/bench"]);
    const missing = await failure(
      loadSuite(
        findSuite("kernel"),
        loader({
          resolve: () => {
            throw nodeError("ERR_MODULE_NOT_FOUND", "Cannot find package '@shoal/monitor'");
          },
        }),
      ),
    );
    expect(missing.message).toMatch(/^suite kernel: @shoal\/monitor is not a dependency of apps\/bench/);
  });

  it.each([
    [
      "a package not merged yet",
      {
        resolve: () => {
          throw nodeError("ERR_MODULE_NOT_FOUND", "Cannot find package '@shoal/caps'");
        },
        inCheckout: () => false,
      },
      /@shoal\/caps is not in this checkout \(no packages\/caps\/package.json\)/,
    ],
    [
      "a package apps/bench does not depend on",
      {
        resolve: () => {
          throw nodeError("ERR_MODULE_NOT_FOUND", "Cannot find package '@shoal/caps'");
        },
      },
      /@shoal\/caps is not a dependency of apps\/bench \(add "@shoal\/caps": "workspace:\*" to apps\/bench\/package.json/,
    ],
    [
      "a package without the ./bench export",
      {
        resolve: () => {
          throw nodeError("ERR_PACKAGE_PATH_NOT_EXPORTED", "not exported");
        },
      },
      /@shoal\/caps has no "\.\/bench" export/,
    ],
    [
      "a suite not built",
      { exists: () => false },
      /@shoal\/caps\/bench is not built \(.*dist\/bench\/index.js is missing; run pnpm build\)/,
    ],
  ])("says what is missing for %s (SUITE_MISSING)", async (_, overrides, message) => {
    const e = await failure(loadSuite(caps, loader(overrides as Partial<SuiteLoader>)));
    expect(isBenchError(e, "SUITE_MISSING")).toBe(true);
    expect(e.message).toMatch(message);
  });

  it.each([
    ["exports no suite", { load: async () => ({ notSuite: 1 }) }, /exports no `suite` of the suite contract/],
    [
      "exports a suite without run",
      { load: async () => ({ suite: { name: "caps", title: "t" } }) },
      /exports no `suite`/,
    ],
    ["throws while loading", { load: () => Promise.reject(new Error("boom")) }, /does not load \(boom\)/],
  ])("fails with SUITE_INVALID for a module that %s", async (_, overrides, message) => {
    const e = await failure(loadSuite(caps, loader(overrides as Partial<SuiteLoader>)));
    expect(isBenchError(e, "SUITE_INVALID")).toBe(true);
    expect(e.message).toMatch(message);
  });

  it("loads the runtime's real suite through Node's resolution", async () => {
    const suite = await loadSuite(findSuite("runtime"));
    expect(suite.name).toBe("runtime");
    expect(suite.parts?.names).toContain("urpc");
  });
});
