/**
 * Values out of a scalar's range arrive the same over every transport: urpc and port carry them through
 * the wire (wrapped to the width, sign-extended when signed), and lrpc, which hands values over without
 * encoding, wraps them the same way. And 64-bit values arrive unchanged wherever the layout puts them.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectPair, type Transport } from "@shoal/runtime";
import { describe, expect, it } from "vitest";
import { importBinding, loadModels, scratchDir, writeStubs } from "./support/corpus.js";

const SOURCE = `interface ranges "out-of-range scalars" {
    message vals(uint8 a, int8 b, uint16 c, int16 d, uint32 e, int32 f, uint64 g, int64 h, bool i, char j);
};
`;

/** What the receiver must see for the sent values below, whatever the transport. */
const SENT = [300, 200, 70_000, 40_000, -1, 2 ** 31, -1n, 2n ** 63n, 7, -3];
const EXPECTED = [44, -56, 4464, -25536, 4294967295, -(2 ** 31), 2n ** 64n - 1n, -(2n ** 63n), true, 253];

describe.each(["urpc", "lrpc", "port"] as Transport[])("out-of-range scalars over %s", (transport) => {
  it("arrive wrapped to their wire width, as on every other transport", async () => {
    const dir = scratchDir(`wire-values/${transport}`);
    const file = join(dir, "ranges.if");
    writeFileSync(file, SOURCE);
    const [model] = await loadModels([file]);
    if (model === undefined) throw new Error("no model");
    const Ranges = await importBinding(writeStubs([model], dir).get("ranges") ?? "", "ranges");
    const [ea, eb] = connectPair(transport);
    let got: unknown[] | null = null;
    const b = Ranges.bind(eb, { rx: { vals: (...args: unknown[]) => (got = args) } });
    const a = Ranges.bind(ea);
    await a.tx.vals?.(...SENT);
    const t0 = Date.now();
    while (got === null && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual(EXPECTED);
    await a.close();
    await b.close();
  });
});

// 64-bit values at every position the greedy layout can give them: word-aligned pairs (one 64-bit access
// on the ring), pairs at odd words, a pair split across two lines, and an aligned pair in a second line.
const WIDE = `interface wide "64-bit positions" {
    message aligned(uint64 a, int64 b);
    message odd(uint32 w, uint64 a, int64 b);
    message split(uint32 w0, uint32 w1, uint32 w2, uint32 w3, uint32 w4, uint32 w5, uint32 w6,
                  uint32 w7, uint32 w8, uint32 w9, uint32 w10, uint32 w11, uint32 w12, int64 a, uint64 b);
    message second(uint32 w0, uint32 w1, uint32 w2, uint32 w3, uint32 w4, uint32 w5, uint32 w6,
                   uint32 w7, uint32 w8, uint32 w9, uint32 w10, uint32 w11, uint32 w12, uint32 w13, int64 a);
};
`;
const BIG = 0x0123_4567_89ab_cdefn;
const WORDS13 = Array.from({ length: 13 }, (_, i) => i + 1);
const WIDE_SENT: Record<string, unknown[]> = {
  aligned: [2n ** 64n - 1n, -(2n ** 63n)],
  odd: [7, BIG, -BIG],
  split: [...WORDS13, -2n, 2n ** 63n + 5n],
  second: [...WORDS13, 14, -BIG],
};

describe.each(["urpc", "lrpc", "port"] as Transport[])("64-bit values over %s", (transport) => {
  it("arrive unchanged wherever the layout puts them", async () => {
    const dir = scratchDir(`wire-values-wide/${transport}`);
    const file = join(dir, "wide.if");
    writeFileSync(file, WIDE);
    const [model] = await loadModels([file]);
    if (model === undefined) throw new Error("no model");
    const Wide = await importBinding(writeStubs([model], dir).get("wide") ?? "", "wide");
    const [ea, eb] = connectPair(transport);
    const got: Record<string, unknown[]> = {};
    const rx = Object.fromEntries(
      Object.keys(WIDE_SENT).map((name) => [
        name,
        (...args: unknown[]) => {
          got[name] = args;
        },
      ]),
    );
    const b = Wide.bind(eb, { rx });
    const a = Wide.bind(ea);
    for (const [name, args] of Object.entries(WIDE_SENT)) await a.tx[name]?.(...args);
    const t0 = Date.now();
    while (Object.keys(got).length < Object.keys(WIDE_SENT).length && Date.now() - t0 < 5_000)
      await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual(WIDE_SENT);
    await a.close();
    await b.close();
  });
});
