import { describe, expect, it } from "vitest";
import type { ResultRow, TestName, TransportName } from "../results.js";
import { ratioFinder } from "./ratios.js";
import { renderChart } from "./svg-chart.js";
import { ALIGN, HEADER, tableCells } from "./table.js";
import { checkTargets } from "./targets.js";

function row(
  transport: TransportName,
  test: TestName,
  payload: number,
  median: number,
  rate?: number,
): ResultRow {
  return {
    transport,
    test,
    payload_bytes: payload,
    median_ns: median,
    p99_ns: median * 2,
    msgs_per_s: rate ?? null,
    samples: 100,
    floor_median_ns: null,
    floor_msgs_per_s: null,
    floor_ratio: null,
    floor_rate_ratio: null,
  };
}

const ROWS: ResultRow[] = [
  row("urpc", "pingpong", 8, 400),
  row("urpc", "rpc", 8, 700),
  row("urpc", "throughput", 64, 125, 8e6),
  row("lrpc", "throughput", 8, 40, 25e6),
  row("lrpc", "throughput", 64, 80, 12e6),
  row("raw-sab", "pingpong", 8, 320),
  row("raw-sab", "rpc", 8, 500),
  row("raw-sab", "throughput", 64, 100, 10e6),
  row("postmessage", "pingpong", 8, 10_000),
  row("postmessage", "rpc", 8, 12_000),
  row("postmessage", "throughput", 64, 2000, 0.5e6),
];

describe("tableCells", () => {
  it("gives ratios to the floor and to postMessage from the same rows", () => {
    const cells = tableCells(ROWS, [
      { transport: "comlink", test: "pingpong", payload_bytes: 8, reason: "calls only" },
    ]);
    const urpcPing = cells.find((r) => r[0] === "urpc" && r[1] === "pingpong");
    expect(urpcPing).toEqual([
      "urpc",
      "pingpong",
      "8 B",
      "400 ns",
      "800 ns",
      "-",
      "-",
      "1.25× time",
      "25.0× faster",
    ]);
    const urpcTput = cells.find((r) => r[0] === "urpc" && r[1] === "throughput");
    expect(urpcTput?.slice(5)).toEqual(["8.00 M/s", "-", "80% of rate", "16.0× faster"]);
    // A skipped row is a note row: four cells, the reason running on over the remaining columns.
    expect(cells.at(-1)).toEqual(["comlink", "pingpong", "8 B", "skipped: calls only"]);
    const pm = tableCells([...ROWS, row("comlink", "rpc", 8, 24_000)], []).find((r) => r[0] === "comlink");
    expect(pm?.[8]).toBe("2.00× slower");
    expect(cells[0]).toEqual(HEADER);
    expect(ALIGN).toEqual(["left", "left", ...Array(7).fill("right")]);
  });
});

describe("ratios", () => {
  it("prefer the floor measured right before the row over the raw-sab row", () => {
    const paired = { ...row("urpc", "pingpong", 8, 400), floor_median_ns: 200 };
    const tput = { ...row("urpc", "throughput", 64, 125, 8e6), floor_msgs_per_s: 16e6 };
    const cells = tableCells([...ROWS.filter((r) => r.transport !== "urpc"), paired, tput], []);
    expect(cells.find((r) => r[0] === "urpc" && r[1] === "pingpong")?.slice(6, 8)).toEqual([
      "200 ns",
      "2.00× time",
    ]);
    expect(cells.find((r) => r[0] === "urpc" && r[1] === "throughput")?.slice(6, 8)).toEqual([
      "16.0 M/s",
      "50% of rate",
    ]);
  });
});

describe("ratios with a paired floor", () => {
  it("use floor_ratio, not median ÷ floor, for the time ratio, in the table and the targets", () => {
    // Median 400 over a 200 ns floor would be 2.00×; the pairs said 1.40× (the mode moved mid-row).
    const ping = { ...row("urpc", "pingpong", 8, 400), floor_median_ns: 200, floor_ratio: 1.4 };
    const rpc = { ...row("urpc", "rpc", 8, 700), floor_median_ns: 200, floor_ratio: 1.2 };
    const rows = [...ROWS.filter((r) => r.transport !== "urpc"), ping, rpc];
    const q = ratioFinder(rows);
    expect(q(ping).timeVsFloor).toBe(1.4);
    expect(q(rpc).timeVsFloor).toBe(1.2);
    // Without floor_ratio the paired floor median is used as before.
    expect(q({ ...ping, floor_ratio: null }).timeVsFloor).toBe(2);
    const cells = tableCells(rows, []);
    expect(cells.find((r) => r[0] === "urpc" && r[1] === "pingpong")?.slice(6, 8)).toEqual([
      "200 ns",
      "1.40× time",
    ]);
    const byName = Object.fromEntries(checkTargets(rows).map((c) => [c.target, c]));
    expect(byName["urpc pingpong round trip vs raw-sab"]).toMatchObject({
      measured: "1.40×",
      status: "must only",
    });
    expect(byName["urpc rpc round trip vs raw-sab awaited"]).toMatchObject({
      measured: "1.20×",
      status: "met",
    });
  });
});

describe("checkTargets", () => {
  it("grades each target as met, must only, missed or not measured", () => {
    const byName = Object.fromEntries(checkTargets(ROWS).map((c) => [c.target, c]));
    expect(byName["urpc pingpong round trip vs raw-sab"]?.status).toBe("met"); // 1.25×
    expect(byName["urpc rpc round trip vs raw-sab awaited"]?.status).toBe("must only"); // 1.40×: against the awaited floor (500 ns), not the ping-pong
    expect(byName["urpc pingpong speed-up over postMessage"]?.status).toBe("met"); // 25×
    expect(byName["urpc rpc speed-up over postMessage"]?.status).toBe("must only"); // 17×
    expect(byName["urpc 64 B throughput vs raw-sab"]?.status).toBe("met"); // 80%
    expect(byName["lrpc 8 B throughput"]?.status).toBe("met");
    expect(byName["lrpc 64 B throughput"]?.status).toBe("must only");
    expect(checkTargets([]).every((c) => c.status === "not measured")).toBe(true);
  });
});

describe("renderChart", () => {
  it("draws one bar per row and escapes text", () => {
    const svg = renderChart(ROWS, "CPU <x> & co");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<rect x=/g)?.length).toBe(ROWS.length);
    expect(svg).toContain("CPU &lt;x&gt; &amp; co");
    expect(svg).toMatch(/<svg [^>]*role="img">\n<title>shoal transport benchmark: CPU &lt;x&gt;/);
  });
});

describe("throughput ratios with a paired floor", () => {
  it("use floor_rate_ratio, not rate ÷ floor rate, in the table and the targets", () => {
    // 8 M/s over a 16 M/s floor would be 50%; the run pairs said 72% (the mode moved between runs).
    const tput = {
      ...row("urpc", "throughput", 64, 125, 8e6),
      floor_msgs_per_s: 16e6,
      floor_rate_ratio: 0.72,
    };
    const rows = [...ROWS.filter((r) => !(r.transport === "urpc" && r.test === "throughput")), tput];
    const q = ratioFinder(rows);
    expect(q(tput).rateVsFloor).toBe(0.72);
    expect(q(tput).timeVsFloor).toBeNull();
    // Without it the floor measured with the row is used as before, then the raw-sab row (10 M/s).
    expect(q({ ...tput, floor_rate_ratio: null }).rateVsFloor).toBe(0.5);
    expect(q({ ...tput, floor_rate_ratio: null, floor_msgs_per_s: null }).rateVsFloor).toBe(0.8);
    const cells = tableCells(rows, []);
    expect(cells.find((r) => r[0] === "urpc" && r[1] === "throughput")?.slice(6, 8)).toEqual([
      "16.0 M/s",
      "72% of rate",
    ]);
    const byName = Object.fromEntries(checkTargets(rows).map((c) => [c.target, c]));
    expect(byName["urpc 64 B throughput vs raw-sab"]).toMatchObject({ measured: "72%", status: "must only" });
  });
});
