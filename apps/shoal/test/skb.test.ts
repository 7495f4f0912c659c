// `shoal skb` offline: answers as `Var = value` lines, --json for tools, facts dumps, and every mistake
// (a usage error, a syntax error, an unknown board) as one line with its exit code.
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseSkbArgs } from "../src/commands/skb.js";
import { main } from "../src/main.js";

const repo = fileURLToPath(new URL("../../..", import.meta.url));

async function shoal(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    cwd: repo,
    stdin: Readable.from([""]),
    interactive: false,
  });
  return { code, out, err };
}

describe("shoal skb QUERY", () => {
  it("prints the multicast tree of a board as bindings", async () => {
    // amd-2x2: package 1 (cores 2, 3) through 2, then 0's own 1.
    const r = await shoal(["skb", "--board", "amd-2x2", "multicast_tree(0, T)"]);
    expect(r).toEqual({ code: 0, out: ["T = mc(0,[mc(2,[mc(3,[])]),mc(1,[])])"], err: [] });
  });

  it("prints one answer a line, every variable of it, atoms quoted where Prolog needs it", async () => {
    const r = await shoal(["skb", "--board", "amd-4x4", "member(X, [a, 'B c']), nearest_memory_node(5, N)"]);
    expect(r.out).toEqual(["X = a, N = 1", "X = 'B c', N = 1"]);
    expect(r.code).toBe(0);
  });

  it("says true for an answer without variables and false (exit 1) for none", async () => {
    expect((await shoal(["skb", "--board", "amd-2x2", "core(3, _)"])).out).toEqual(["true"]);
    const none = await shoal(["skb", "--board", "amd-2x2", "core(4, _)."]);
    expect(none).toEqual({ code: 1, out: ["false"], err: [] });
  });

  it("--json gives variables and typed answers", async () => {
    const r = await shoal(["skb", "--board", "amd-4x4", "--json", "transport(0, 12, T, W)"]);
    expect(JSON.parse(r.out[0] ?? "")).toEqual({
      variables: ["T", "W"],
      answers: [{ T: "urpc", W: { functor: "because", args: [{ functor: "remote", args: [2] }, 560] } }],
      truncated: false,
    });
  });

  it("answers on this machine's discovered facts, with --cores shoal cores", async () => {
    const r = await shoal(["skb", "--cores", "3", "cores(Cs), multicast_tree(0, T)"]);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).toMatch(/^Cs = \[0,1,2\], T = mc\(0,\[/);
    for (const c of [1, 2]) expect(r.out[0]).toContain(`mc(${c},`);
  });

  it("--boot N boots the cores, measures their round trips and answers on the measured facts", async () => {
    const r = await shoal(["skb", "--boot", "2", "rtt_origin(O), message_rtt(0, 1, A, _, Min, Max)"]);
    expect(r.code).toBe(0);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^skb: measured 2 pairs of 2 cores in \d+ ms$/);
    const m = /^O = measured, A = (\d+), Min = (\d+), Max = (\d+)$/.exec(r.out[0] ?? "");
    expect(m).not.toBeNull();
    const [a, min, max] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
    expect(min).toBeGreaterThan(0);
    expect(min).toBeLessThanOrEqual(a);
    expect(a).toBeLessThanOrEqual(max);
  });

  it("a syntax error is one line with its column, exit 1", async () => {
    const r = await shoal(["skb", "--board", "amd-2x2", "member(X, [a"]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^shoal: skb: SYNTAX: syntax error in query at column \d+: /);
  });

  it("an unknown predicate is one line, exit 1", async () => {
    const r = await shoal(["skb", "--board", "amd-2x2", "no_such_thing(X)"]);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^shoal: skb: EXISTENCE: .*no_such_thing\/1/);
  });

  it.each([
    [["skb"], /skb: which query\?/],
    [["skb", "--board"], /--board: which board\? \(amd-2x2, amd-4x4, amd-8x4, intel-2x4\)/],
    [["skb", "--cores", "0", "true"], /--cores: expected an integer of at least 1/],
    [["skb", "--board", "amd-2x2", "--cores", "2", "true"], /give one of them/],
    [["skb", "--boot", "x", "true"], /--boot: expected an integer of at least 1/],
    [["skb", "--frob", "true"], /unknown option '--frob'/],
    [["skb", "--board", "amd-99", "true"], /NO_SUCH_BOARD: no board named 'amd-99'; boards: amd-2x2/],
  ])("%j is one line, exit 2", async (argv, text) => {
    const r = await shoal(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(text);
  });
});

describe("the shell's skb QUERY", () => {
  it("asks the skb domain, started on core 0 on first use, and prints its answers", async () => {
    const r = await shoal([
      "boot",
      "--cores",
      "2",
      "--memory",
      "64M",
      "--exec",
      "skb cores(Cs), transport(0, 1, T, _); skb core(7, _); skb member(X, [a; halt",
    ]);
    expect(r.code).toBe(0);
    const answers = r.out.filter((l) => /ask#\d+: /.test(l)).map((l) => l.replace(/^.*ask#\d+: /, ""));
    expect(answers[0]).toBe("Cs = [0,1], T = urpc");
    expect(answers[1]).toBe("false");
    expect(answers[2]).toMatch(/^skb: SYNTAX: syntax error in query at column \d+/);
    expect(r.out.some((l) => /skb: serving 'skb' as iref/.test(l))).toBe(true);
    expect(r.out).toContain("skb: the query failed (the reason is above)");
  });
});

describe("shoal skb facts and boards", () => {
  it("dumps a board's facts as a fact file", async () => {
    const r = await shoal(["skb", "--board", "amd-8x4", "facts"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("interconnect_link(2,5,hypertransport).");
    expect(r.out).toContain("core(31,31).");
    // Modelled round trips: every ordered pair of the 32 cores.
    expect(r.out.filter((l) => l.startsWith("message_rtt("))).toHaveLength(32 * 31);
    for (const l of r.out) expect(l).toMatch(/^(%.*|[a-z_]+\(.*\)\.)$/);
  });

  it("dumps this machine's facts with a core per --cores", async () => {
    const r = await shoal(["skb", "--cores", "2", "--json", "facts"]);
    const { facts } = JSON.parse(r.out[0] ?? "") as { facts: { functor: string; args: unknown[] }[] };
    expect(facts.filter((f) => f.functor === "core").map((f) => f.args[0])).toEqual([0, 1]);
    expect(facts.some((f) => f.functor === "board" && f.args[0] === "host")).toBe(true);
  });

  it("lists the boards", async () => {
    expect((await shoal(["skb", "boards"])).out).toEqual(["amd-2x2", "amd-4x4", "amd-8x4", "intel-2x4"]);
  });

  it("parses a query given in several words, dropping a final full stop", () => {
    expect(parseSkbArgs(["cores(Cs),", "length(Cs,", "N)."]).what).toEqual({
      kind: "query",
      text: "cores(Cs), length(Cs, N)",
    });
  });
});
