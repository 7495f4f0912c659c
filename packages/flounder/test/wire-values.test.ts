/**
 * Values out of a scalar's range arrive the same over every transport: urpc and port carry them through
 * the wire (wrapped to the width, sign-extended when signed), and lrpc, which hands values over without
 * encoding, wraps them the same way.
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
