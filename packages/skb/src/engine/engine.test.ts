import { beforeAll, describe, expect, it } from "vitest";
import { isSkbError, SkbError } from "../errors.js";
import { SkbEngine } from "./engine.js";
import { compound, plString } from "./terms.js";

let engine: SkbEngine;
beforeAll(async () => {
  engine = await SkbEngine.start({ timeLimitMs: 5000 });
}, 60_000);

function errorOf(f: () => unknown): SkbError {
  try {
    f();
  } catch (e) {
    if (isSkbError(e)) return e;
    throw e;
  }
  throw new Error("expected an SkbError");
}

describe("typed bindings", () => {
  it("maps atoms, numbers, strings, lists and compounds to plain values", () => {
    const a = engine.once(
      "A = hello, I = 42, F = 1.5, S = \"text\", L = [1, b, [c]], C = point(1, 2), E = [], Q = 'Hello World'",
    );
    expect(a).toEqual({
      A: "hello",
      I: 42,
      F: 1.5,
      S: plString("text"),
      L: [1, "b", ["c"]],
      C: compound("point", 1, 2),
      E: [],
      Q: "Hello World",
    });
  });

  it("keeps lists whole in answers whose text has braces (a reply needing the writable pass)", () => {
    expect(engine.once('X = "a { b }", L = [1, [2]], E = []')).toEqual({
      X: plString("a { b }"),
      L: [1, [2]],
      E: [],
    });
  });

  it("gives big integers as bigint and safe ones as number", () => {
    const a = engine.once("X is 2 ** 100, Y is 2 ** 53 - 1, Z is -(2 ** 64)");
    expect(a?.X).toBe(2n ** 100n);
    expect(a?.Y).toBe(2 ** 53 - 1);
    expect(a?.Z).toBe(-(2n ** 64n));
  });

  it("represents partial lists, variables, rationals and special floats", () => {
    const a = engine.once("L = [a|T], V = W, R is 2 rdiv 3, P is inf, N is nan");
    expect(a?.L).toMatchObject({ kind: "partial_list", items: ["a"], tail: { kind: "var" } });
    expect(a?.V).toMatchObject({ kind: "var" });
    expect(a?.R).toEqual({ kind: "rational", numerator: 2n, denominator: 3n });
    expect(a?.P).toBe(Infinity);
    expect(Number.isNaN(a?.N)).toBe(true);
  });

  it("escapes quotes, backslashes and newlines in both directions", () => {
    const text = 'it\'s a "quote" \\ and\na newline';
    const a = engine.once("atom_length(X, N), Y = X", { inputs: { X: text } });
    expect(a?.Y).toBe(text);
    expect(a?.N).toBe(text.length);
  });

  it("binds inputs of every kind and does not report them", () => {
    const inputs = { X: compound("f", [1, 2n ** 70n], plString("s"), "A b", -3, 2.5) };
    const r = engine.query("Y = X", { inputs });
    expect(r.variables).toEqual(["Y"]);
    expect(r.answers[0]?.Y).toEqual(inputs.X);
  });

  it("returns every answer in order, and caps them with truncated", () => {
    expect(engine.answers("member(X, [c, a, b])").map((b) => b.X)).toEqual(["c", "a", "b"]);
    const r = engine.query("between(1, 100, X)", { maxAnswers: 5 });
    expect(r.answers.map((b) => b.X)).toEqual([1, 2, 3, 4, 5]);
    expect(r.truncated).toBe(true);
    expect(engine.answers("fail")).toEqual([]);
  });

  it("hides variables starting with an underscore", () => {
    expect(engine.query("_Hidden = 1, Shown = 2").variables).toEqual(["Shown"]);
  });

  it("captures what a query prints instead of letting it reach the console", () => {
    const r = engine.query('write(hello), nl, format(user_error, "oops~n", [])');
    expect(r.output).toContain("hello");
    expect(r.output).toContain("oops");
  });
});

describe("errors", () => {
  it("reports a syntax error in a query with its column", () => {
    const e = errorOf(() => engine.query("X = f("));
    expect(e.code).toBe("SYNTAX");
    expect(e.line).toBe(1);
    expect(e.column).toBeGreaterThan(1);
    expect(e.query).toBe("X = f(");
  });

  it("reports unknown predicates as EXISTENCE", () => {
    const e = errorOf(() => engine.query("no_such_predicate(1)"));
    expect(e.code).toBe("EXISTENCE");
    expect(e.message).toContain("no_such_predicate/1");
  });

  it("reports type, instantiation, evaluation and thrown errors with their codes", () => {
    expect(errorOf(() => engine.query("X is a + 1")).code).toBe("TYPE");
    expect(errorOf(() => engine.query("atom_length(X, Y)")).code).toBe("INSTANTIATION");
    expect(errorOf(() => engine.query("X is 1 / 0")).code).toBe("EVALUATION");
    const thrown = errorOf(() => engine.query("throw(my_ball(1))"));
    expect(thrown.code).toBe("THROWN");
    expect(thrown.term).toBe("my_ball(1)");
  });

  it("stops a query over its time limit, in redo loops and in deterministic recursion", () => {
    expect(errorOf(() => engine.query("repeat, fail", { timeLimitMs: 200 })).code).toBe("TIME_LIMIT");
    engine.consult("loops.pl", "spin :- spin.\n");
    expect(errorOf(() => engine.query("spin", { timeLimitMs: 100 })).code).toBe("TIME_LIMIT");
    expect(engine.once("X = after")?.X).toBe("after");
  });

  it("turns runaway recursion into RESOURCE, and the engine answers afterwards", () => {
    engine.consult("deep.pl", "deep(N) :- N1 is N + 1, deep(N1), true.\n");
    expect(errorOf(() => engine.query("deep(0)", { timeLimitMs: 60_000 })).code).toBe("RESOURCE");
    expect(engine.once("X = 1")?.X).toBe(1);
  });

  it("refuses halt, which would end the WebAssembly runtime", () => {
    expect(errorOf(() => engine.query("halt")).code).toBe("PERMISSION");
    expect(errorOf(() => engine.query("halt(1)")).code).toBe("PERMISSION");
    expect(engine.once("X = alive")?.X).toBe("alive");
  });

  it("keeps answering after every kind of error", () => {
    const bad = ["X = ", "nope", "X is foo + 1", "throw(x)", "atom_length(X, _)"];
    for (const q of bad) {
      expect(() => engine.query(q)).toThrow(SkbError);
      expect(engine.once("Y = ok")?.Y).toBe("ok");
    }
  });

  it("rejects a non-positive time limit as BAD_ARGUMENT", () => {
    expect(errorOf(() => engine.query("true", { timeLimitMs: 0 })).code).toBe("BAD_ARGUMENT");
  });
});

describe("loading programs and facts", () => {
  it("loads a program and replaces it when loaded again under the same name", () => {
    engine.consult("colours.pl", "colour(red).\ncolour(green).\n");
    expect(engine.answers("colour(C)").map((b) => b.C)).toEqual(["red", "green"]);
    engine.consult("colours.pl", "colour(blue).\n");
    expect(engine.answers("colour(C)").map((b) => b.C)).toEqual(["blue"]);
  });

  it("reports syntax errors with file and line, keeping the clauses that parsed", () => {
    const e = errorOf(() => engine.consult("broken.pl", "ok(1).\nbad(1) :- .\nok(2).\n"));
    expect(e.code).toBe("SYNTAX");
    expect(e.file).toBe("broken.pl");
    expect(e.line).toBe(2);
    expect(e.diagnostics[0]).toMatchObject({ severity: "error", file: "broken.pl", line: 2 });
    expect(engine.answers("ok(X)").map((b) => b.X)).toEqual([1, 2]);
  });

  it("reports a failing directive as LOAD and warnings as warnings", () => {
    const e = errorOf(() => engine.consult("directive.pl", ":- atom_length(1, 2, 3).\n"));
    expect(e.code).toBe("LOAD");
    expect(e.line).toBe(1);
    const r = engine.consult("singleton.pl", "lonely(X) :- true.\n");
    expect(r.warnings[0]?.message).toContain("Singleton");
    expect(r.warnings[0]?.line).toBe(1);
  });

  it("reports a missing file as ENGINE with the path", () => {
    const e = errorOf(() => engine.consultFile("/nonexistent/x.pl"));
    expect(e.code).toBe("ENGINE");
    expect(e.file).toBe("/nonexistent/x.pl");
  });

  it("asserts and retracts facts", () => {
    engine.query("dynamic(rtt/3)");
    engine.assertz(compound("rtt", 0, 1, 100));
    engine.asserta(compound("rtt", 0, 2, 200));
    expect(engine.assertFacts([compound("rtt", 1, 2, 300), compound("rtt", 2, 1, 301)])).toBe(2);
    expect(engine.answers("rtt(A, B, _)").map((b) => [b.A, b.B])).toEqual([
      [0, 2],
      [0, 1],
      [1, 2],
      [2, 1],
    ]);
    expect(engine.retract(compound("rtt", 0, 1, 100))).toBe(true);
    expect(engine.retract("rtt(9, 9, _)")).toBe(false);
    expect(engine.retractAll("rtt(_, _, _)")).toBe(3);
    expect(engine.answers("rtt(A, B, C)")).toEqual([]);
  });
});

describe("leaks", () => {
  it("runs a thousand queries (and errors) without growing memory or the atom table", () => {
    const run = (i: number) => {
      engine.query("numlist(1, 50, L), sum_list(L, S), atom_concat(tmp_, I, A)", { inputs: { I: i } });
      if (i % 10 === 0) expect(() => engine.query("X is foo + 1")).toThrow(SkbError);
    };
    for (let i = 0; i < 200; i++) run(i); // warm up: the first queries load libraries and grow stacks
    engine.query("garbage_collect, garbage_collect_atoms");
    const before = engine.stats();
    for (let i = 200; i < 1200; i++) run(i);
    engine.query("garbage_collect, garbage_collect_atoms");
    const after = engine.stats();
    expect(before.wasmBytes).toBeGreaterThan(0);
    expect(after.wasmBytes).toBe(before.wasmBytes);
    // 1000 queries made 1000 new atoms (tmp_N) and variable names; atom GC must reclaim them.
    expect(after.atoms - before.atoms).toBeLessThan(200);
    expect(after.clauses).toBe(before.clauses);
  });
});

describe("long time limits", () => {
  it("accepts a limit whose inference budget exceeds 32 bits", () => {
    expect(engine.once("X = 1", { timeLimitMs: 600_000 })?.X).toBe(1);
  });
});
