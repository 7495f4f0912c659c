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

/** Generates the stubs of interface `name` from `source` into a scratch folder and imports its binding. */
async function compiled(source: string, name: string, folder: string) {
  const dir = scratchDir(folder);
  const file = join(dir, `${name}.if`);
  writeFileSync(file, source);
  const [model] = await loadModels([file]);
  if (model === undefined) throw new Error(`${name}.if: no model`);
  return importBinding(writeStubs([model], dir).get(name) ?? "", name);
}

const SOURCE = `interface ranges "out-of-range scalars" {
    message vals(uint8 a, int8 b, uint16 c, int16 d, uint32 e, int32 f, uint64 g, int64 h, bool i, char j);
};
`;

/** What the receiver must see for the sent values below, whatever the transport. */
const SENT = [300, 200, 70_000, 40_000, -1, 2 ** 31, -1n, 2n ** 63n, true, -3];
const EXPECTED = [44, -56, 4464, -25536, 4294967295, -(2 ** 31), 2n ** 64n - 1n, -(2n ** 63n), true, 253];

describe.each(["urpc", "lrpc", "port"] as Transport[])("out-of-range scalars over %s", (transport) => {
  it("arrive wrapped to their wire width, as on every other transport", async () => {
    const Ranges = await compiled(SOURCE, "ranges", `wire-values/${transport}`);
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
    const Wide = await compiled(WIDE, "wide", `wire-values-wide/${transport}`);
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

// Structs and fixed arrays arrive as the wire carries them on every transport: fields wrapped to their
// width, exactly the declared fields (lrpc copies them so, where it once passed a structured clone on),
// and an enum name that is not a member is refused at the sender (BAD_ARGUMENT), never a delivery.
const AGG = `interface agg "aggregates" {
    typedef enum { RED, GREEN } color;
    typedef struct { uint8 a; int16 b; bool c; int64 d; color e; } rec;
    typedef rec pair[2];
    message one(rec r, pair p);
    message paint(color c);
};
`;
const REC_SENT = { a: 300, b: 40_000, c: true, d: 2n ** 63n, e: "GREEN", extra: "not declared" };
const REC_GOT = { a: 44, b: -25_536, c: true, d: -(2n ** 63n), e: "GREEN" };

describe.each(["urpc", "lrpc", "port"] as Transport[])("structs, arrays and enums over %s", (transport) => {
  it("arrive wrapped, with their declared fields only; a non-member enum name is refused", async () => {
    const Agg = await compiled(AGG, "agg", `wire-values-agg/${transport}`);
    const [ea, eb] = connectPair(transport);
    const got: unknown[][] = [];
    const errors: unknown[] = [];
    const b = Agg.bind(eb, {
      rx: {
        one: (...args: unknown[]) => {
          got.push(["one", ...args]);
        },
        paint: (c: unknown) => {
          got.push(["paint", c]);
        },
      },
      onError: (e: unknown) => {
        errors.push(e);
      },
    });
    const a = Agg.bind(ea);
    await a.tx.one?.({ ...REC_SENT }, [{ ...REC_SENT }, { ...REC_SENT, a: 1 }]);
    // A name that is not a member is refused at the sender, the same on every transport.
    await expect(a.tx.paint?.("PURPLE")).rejects.toMatchObject({ code: "BAD_ARGUMENT", field: "c" });
    await a.tx.paint?.("RED");
    const t0 = Date.now();
    while (got.length < 2 && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual([
      ["one", REC_GOT, [REC_GOT, { ...REC_GOT, a: 1 }]],
      ["paint", "RED"],
    ]);
    expect(errors).toEqual([]);
    await a.close();
    await b.close();
  });
});
