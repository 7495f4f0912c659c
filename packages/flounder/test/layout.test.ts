/**
 * The URPC layout against hand-worked cases: packing rules 1-4 of docs/wire-format.md, message
 * numbering, and the `flounder layout --json` shape.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { interfaceLayoutJson } from "../src/cli/layout-command.js";
import { layoutInterface, layoutMessage } from "../src/layout.js";
import { CORPUS_DIR, INTERFACES_DIR, loadModels } from "./support/corpus.js";
import { arrayT, dyn, iface, kitchenSink, msg, pingPong, str, structT, val } from "./support/models.js";

function fieldsOf(model: ReturnType<typeof iface>, name: string) {
  const m = model.messages.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no message ${name}`);
  return layoutMessage(model, m);
}

describe("layout", () => {
  it("ping(uint64 val) is one line, the low half in word 0 and the high half in word 1", () => {
    const l = fieldsOf(pingPong, "ping");
    expect(l.fixedFragments).toBe(1);
    expect(l.words).toBe(2);
    expect(l.fields.map((p) => [p.arg, p.frag, p.word, p.bit, p.width, p.half])).toEqual([
      ["val", 0, 0, 0, 32, 0],
      ["val", 0, 1, 0, 32, 1],
    ]);
  });

  it("numbers messages from 3 in declaration order, an rpc taking two numbers", () => {
    expect(pingPong.messages.map((m) => [m.name, m.number])).toEqual([
      ["ping", 3],
      ["pong", 4],
      ["testrpc_call", 5],
      ["testrpc_response", 6],
      ["str", 7],
      ["arr", 8],
      ["stop", 9],
    ]);
  });

  it("sorts pieces stably by width and packs them greedily into words", () => {
    const l = fieldsOf(kitchenSink, "scalars"); // bool b, uint8 u8, int8 i8, uint16 u16
    expect(l.fields.map((p) => [p.arg, p.word, p.bit, p.width])).toEqual([
      ["b", 0, 0, 1],
      ["u8", 0, 1, 8],
      ["i8", 0, 9, 8],
      // 17 + 16 > 32: the 16-bit piece starts a new word.
      ["u16", 1, 0, 16],
    ]);
  });

  it("expands structs, fixed arrays, enums and aliases in declaration order", () => {
    const l = fieldsOf(kitchenSink, "typed"); // color col, point pt, coremask mask, rsrc r
    expect(l.fields.map((p) => [p.arg, p.word, p.bit, p.width])).toEqual([
      ["pt.on", 0, 0, 1],
      ["pt.flag", 0, 1, 8],
      ["r", 0, 9, 16],
      ["col", 1, 0, 32],
      ["pt.x", 2, 0, 32],
      ["pt.big", 3, 0, 32],
      ["pt.big", 4, 0, 32],
      ["mask[0]", 5, 0, 32],
      ["mask[0]", 6, 0, 32],
      ["mask[1]", 7, 0, 32],
      ["mask[1]", 8, 0, 32],
    ]);
  });

  it("starts a new line after 14 words", () => {
    const args = Array.from({ length: 15 }, (_, i) => val("uint32", `w${i}`));
    const m = iface("lines", [msg("m", ...args)]);
    const l = fieldsOf(m, "m");
    expect(l.fixedFragments).toBe(2);
    expect(l.fields.at(13)).toMatchObject({ arg: "w13", frag: 0, word: 13 });
    expect(l.fields.at(14)).toMatchObject({ arg: "w14", frag: 1, word: 0 });
  });

  it("sends one empty line for an empty message and no fixed line for strings/arrays only", () => {
    const m = iface("shapes", [msg("empty"), msg("text", str("s", 8)), msg("bytes", dyn("uint8", "b", 4))]);
    expect(
      layoutInterface(m).map((l) => [l.message.name, l.fixedFragments, l.words, l.overflow.length]),
    ).toEqual([
      ["empty", 1, 0, 0],
      ["text", 0, 0, 1],
      ["bytes", 0, 0, 1],
    ]);
  });

  it("keeps capabilities out of the lines and lists them", () => {
    const l = fieldsOf(kitchenSink, "caps");
    expect(l.caps.map((c) => c.arg)).toEqual(["c1", "c2"]);
    expect(l.fields.map((p) => p.arg)).toEqual(["x"]);
  });

  it("sends capabilities in struct fields out of band, in argument then field order, as arg.field", () => {
    const m = iface(
      "pools",
      [msg("m", val("cap", "first"), val("outer", "o"), val("uint8", "n"), val("give_away_cap", "last"))],
      [
        structT("pool", ["uint32", "id"], ["cap", "frame"], ["give_away_cap", "spare"]),
        structT("outer", ["pool", "p"], ["cap", "extra"], ["bool", "on"]),
      ],
    );
    const l = fieldsOf(m, "m");
    expect(
      l.caps.map((c) => [
        c.arg,
        c.argIndex,
        c.path.map((s) => (s.kind === "field" ? s.name : s.index)),
        c.giveAway,
      ]),
    ).toEqual([
      ["first", 0, [], false],
      ["o.p.frame", 1, ["p", "frame"], false],
      ["o.p.spare", 1, ["p", "spare"], true],
      ["o.extra", 1, ["extra"], false],
      ["last", 3, [], true],
    ]);
    // The words hold only the non-capability fields.
    expect(l.fields.map((p) => p.arg)).toEqual(["o.on", "n", "o.p.id"]);
    expect(interfaceLayoutJson(m).m?.caps).toEqual(["first", "o.p.frame", "o.p.spare", "o.extra", "last"]);
  });

  it("refuses a capability inside a fixed array with a typed error", () => {
    const m = iface(
      "bad",
      [msg("m", val("holders", "h"))],
      [structT("holder", ["cap", "c"]), arrayT("holders", "holder", 2)],
    );
    expect(() => layoutInterface(m)).toThrow(/'h\[0\]\.c': a capability cannot be part of a fixed array/);
  });

  it("refuses dynamic arrays of wider elements", () => {
    const m = iface("bad", [msg("m", dyn("uint32", "a", 4))], [arrayT("unused", "uint8", 1)]);
    expect(() => layoutInterface(m)).toThrow(/8-bit elements/);
  });
});

describe("layout of real interface files", () => {
  it("bench.if's fsb_payload64_16_request takes three lines of 14 + 14 + 4 words", async () => {
    const [bench] = await loadModels([join(CORPUS_DIR, "bench.if")]);
    if (bench === undefined) throw new Error("bench.if");
    const json = interfaceLayoutJson(bench).fsb_payload64_16_request;
    expect(json?.fixed_fragments).toBe(3);
    const perLine = [0, 1, 2].map(
      (f) => new Set(json?.fields.filter((x) => x.frag === f).map((x) => x.word)).size,
    );
    expect(perLine).toEqual([14, 14, 4]);
    expect(json?.fields[0]).toEqual({ arg: "word0", frag: 0, word: 0, bit: 0, width: 32 });
    expect(json?.fields[1]).toEqual({ arg: "word0", frag: 0, word: 1, bit: 0, width: 32 });
  });

  it("prints exactly the documented JSON shape", async () => {
    const [pp] = await loadModels([join(INTERFACES_DIR, "ping_pong.if")]);
    if (pp === undefined) throw new Error("ping_pong.if");
    const json = interfaceLayoutJson(pp);
    expect(Object.keys(json)).toEqual([
      "ping",
      "pong",
      "testrpc_call",
      "testrpc_response",
      "str",
      "arr",
      "stop",
    ]);
    expect(json.str).toEqual({
      msgnum: 7,
      fixed_fragments: 1,
      // One fixed line, then the run: its first line holds the length and 52 bytes, each next one 56,
      // so 2047 bytes take 1 + ceil(1995 / 56) = 37 lines.
      lines: { min: 2, max: 38 },
      fields: [{ arg: "id", frag: 0, word: 0, bit: 0, width: 32 }],
      overflow: ["s"],
      caps: [],
    });
    expect(json.stop).toEqual({
      msgnum: 9,
      fixed_fragments: 1,
      lines: { min: 1, max: 1 },
      fields: [],
      overflow: [],
      caps: [],
    });
  });
});
