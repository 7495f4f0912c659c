/**
 * Receiving is validating, and sending checks bounds: over-long strings/arrays are refused at send with
 * MSG_SIZE; random corruption of encoded lines yields BAD_MESSAGE or a correct message, never a crash;
 * specific bad values (enum out of range, malformed UTF-8, unknown number) name message and field.
 */
import { isShoalError, type ShoalError } from "@shoal/runtime";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { argsArb } from "./support/arbitraries.js";
import {
  type BindingClass,
  CORPUS_DIR,
  importBinding,
  interfaceFiles,
  loadModels,
  scratchDir,
  writeStubs,
} from "./support/corpus.js";
import { type LoopbackEnd, loopbackPair, type Sent, settle } from "./support/loopback.js";
import { kitchenSink, pingPong } from "./support/models.js";

let PingPong: BindingClass;
let KitchenSink: BindingClass;

beforeAll(async () => {
  const paths = writeStubs([pingPong, kitchenSink], scratchDir("receive"));
  PingPong = await importBinding(paths.get("ping_pong") ?? "", "ping_pong");
  KitchenSink = await importBinding(paths.get("kitchen_sink") ?? "", "kitchen_sink");
});

/** A bound pair over the port-form loopback whose server records handler calls and errors. */
function harness(cls: BindingClass) {
  const [a, b] = loopbackPair("port");
  const calls: { name: string; args: unknown[] }[] = [];
  const errors: ShoalError[] = [];
  const record = new Proxy(
    {},
    {
      get:
        (_t, name) =>
        (...args: unknown[]) =>
          calls.push({ name: String(name), args }),
    },
  );
  cls.bindChannel(b, { rx: record, rpc: record, onError: (e: ShoalError) => errors.push(e) });
  const client = cls.bindChannel(a);
  return { client, calls, errors, a, b };
}

/** Feeds a (possibly corrupted) word-form message straight to the receiving binding. */
function deliver(to: LoopbackEnd, m: Sent): void {
  to.rx?.onWords(m.num, m.token, m.words, 0, m.ovf, m.caps);
}

describe("sending checks bounds", () => {
  it("refuses an over-long string or array with MSG_SIZE and sends nothing", async () => {
    for (const transport of ["urpc", "lrpc", "port"] as const) {
      const [a, b] = loopbackPair(transport);
      PingPong.bindChannel(b);
      const client = PingPong.bindChannel(a);
      const tooLong = client.tx.str?.(1, "é".repeat(1024)); // 2048 bytes > 2047
      await expect(tooLong).rejects.toMatchObject({ code: "MSG_SIZE", messageName: "str", field: "s" });
      await expect(client.tx.arr?.(1, new Uint8Array(2049))).rejects.toMatchObject({
        code: "MSG_SIZE",
        field: "a",
      });
      await expect(client.tx.str?.(1, "a".repeat(2047))).resolves.toBeUndefined();
      expect(a.tap.filter((m) => m.num === 7).map((m) => m.ovf[0]?.length)).toEqual(
        transport === "lrpc" ? [] : [2047],
      );
    }
  });

  it("refuses a fixed array of the wrong length", async () => {
    const { client } = harness(KitchenSink);
    const pt = { x: 1, flag: 2, on: true, big: 3n };
    const refused = client.tx.typed?.("RED", pt, [1n], 7);
    await expect(refused).rejects.toMatchObject({ code: "BAD_ARGUMENT", field: "mask" });
    await expect(refused).rejects.toThrow(
      /must be an array of exactly \d+ elements, got an array of 1 elements/,
    );
  });
});

describe("sending refuses over-long strings and arrays of every corpus message", () => {
  it.each(["urpc", "lrpc", "port"] as const)(
    "with MSG_SIZE naming the field (%s)",
    async (transport) => {
      const models = await loadModels(interfaceFiles(CORPUS_DIR));
      const paths = writeStubs(models, scratchDir(`msg-size-${transport}`));
      let checked = 0;
      for (const model of models) {
        // Plain messages whose args include a string or dynamic array.
        const targets = model.messages.filter(
          (m) => m.origin === "message" && m.args.some((x) => x.kind === "string" || x.kind === "dynarray"),
        );
        if (targets.length === 0) continue;
        const cls = await importBinding(paths.get(model.name) ?? "", model.name);
        const [a, b] = loopbackPair(transport);
        cls.bindChannel(b);
        const client = cls.bindChannel(a);
        const arb = fc
          .constantFrom(...targets)
          .chain((m) =>
            fc.tuple(
              fc.constant(m),
              argsArb(model, m),
              fc.constantFrom(...m.args.flatMap((x, i) => (x.kind === "value" ? [] : [i]))),
              fc.integer({ min: 1, max: 64 }),
            ),
          );
        await fc.assert(
          fc.asyncProperty(arb, async ([m, args, i, extra]) => {
            const arg = m.args[i];
            if (arg === undefined || arg.kind === "value") throw new Error("not an overflow argument");
            const tooLong = [...args];
            tooLong[i] =
              arg.kind === "string" ? "x".repeat(arg.bound - 1 + extra) : new Uint8Array(arg.max + extra);
            const before = a.tap.length;
            const e = await (client.tx[m.name]?.(...tooLong) ?? Promise.resolve()).then(
              () => undefined,
              (err: unknown) => err,
            );
            expect(isShoalError(e, "MSG_SIZE") && e.messageName === m.name && e.field === arg.name).toBe(
              true,
            );
            expect(a.tap.length).toBe(before);
            checked++;
          }),
          { numRuns: 10 },
        );
      }
      expect(checked).toBeGreaterThan(50);
    },
    120_000,
  );
});

describe("receiving validates", () => {
  it("reports an enum value out of range as BAD_MESSAGE naming message and field", async () => {
    const { client, calls, errors, a, b } = harness(KitchenSink);
    await client.tx.typed?.("BLUE", { x: -1, flag: 255, on: false, big: 2n ** 64n - 1n }, [0n, 1n], 65535);
    await settle();
    expect(calls).toHaveLength(1);
    const sent = a.tap.at(-1);
    if (sent === undefined) throw new Error("nothing sent");
    const words = sent.words.slice();
    words[1] = 3; // col: only 0..2 are members
    deliver(b, { ...sent, words });
    expect(calls).toHaveLength(1);
    expect(errors.map((e) => [e.code, e.messageName, e.field])).toEqual([["BAD_MESSAGE", "typed", "col"]]);
  });

  it("reports malformed UTF-8, set padding bits and unknown message numbers", async () => {
    const { client, calls, errors, a, b } = harness(KitchenSink);
    await client.tx.bytes?.(new Int8Array([-1, 2]), "héllo", new Uint8Array([1]));
    await client.tx.scalars?.(true, 1, -1, 2);
    await settle();
    expect(calls.map((c) => c.name)).toEqual(["bytes", "scalars"]);
    const [bytes, scalars] = a.tap.slice(-2);
    if (bytes === undefined || scalars === undefined) throw new Error("nothing sent");
    deliver(b, {
      ...bytes,
      ovf: [bytes.ovf[0] ?? new Uint8Array(), new Uint8Array([0xc3, 0x28]), new Uint8Array()],
    });
    const padded = scalars.words.slice();
    padded[0] = (padded[0] ?? 0) | 0x80000000; // bit 31 of word 0 carries no piece
    deliver(b, { ...scalars, words: padded });
    deliver(b, { ...scalars, num: 999 });
    expect(calls).toHaveLength(2);
    expect(errors.map((e) => [e.code, e.messageName, e.field])).toEqual([
      ["BAD_MESSAGE", "bytes", "name"],
      ["BAD_MESSAGE", "scalars", "b"],
      ["BAD_MESSAGE", "#999", ""],
    ]);
  });

  it("decodes values exactly at the edges of their ranges", async () => {
    const { client, calls } = harness(KitchenSink);
    await client.tx.scalars?.(true, 255, -128, 65535);
    await client.tx.more?.(-32768, -(2 ** 31), 2 ** 32 - 1, 255);
    await client.tx.wide?.(2n ** 64n - 1n, -(2n ** 63n), 0n, 2n ** 63n - 1n);
    await settle();
    expect(calls).toEqual([
      { name: "scalars", args: [true, 255, -128, 65535] },
      { name: "more", args: [-32768, -(2 ** 31), 2 ** 32 - 1, 255] },
      { name: "wide", args: [2n ** 64n - 1n, -(2n ** 63n), 0n, 2n ** 63n - 1n] },
    ]);
  });

  it("survives random corruption of every corpus message: BAD_MESSAGE or a well-typed message, never a throw", async () => {
    const models = await loadModels(interfaceFiles(CORPUS_DIR));
    const paths = writeStubs(models, scratchDir("corrupt"));
    for (const model of models) {
      if (model.messages.length === 0) continue;
      const cls = await importBinding(paths.get(model.name) ?? "", model.name);
      const { client, calls, errors, a, b } = harness(cls);
      const plain = model.messages.filter((m) => m.origin === "message");
      if (plain.length === 0) continue;
      const arb = fc
        .constantFrom(...plain)
        .chain((m) => fc.tuple(fc.constant(m), argsArb(model, m)))
        .chain(([m, args]) =>
          fc.tuple(
            fc.constant(m),
            fc.constant(args),
            fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 ** 32 - 1 })), {
              minLength: 1,
              maxLength: 4,
            }),
            fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
          ),
        );
      await fc.assert(
        fc.asyncProperty(arb, async ([m, args, wordHits, byteHits]) => {
          await client.tx[m.name]?.(...args);
          await settle();
          const sent = a.tap.at(-1);
          if (sent === undefined) throw new Error("nothing sent");
          calls.length = 0;
          errors.length = 0;
          const words = sent.words.slice();
          for (const [i, v] of wordHits) if (words.length > 0) words[i % words.length] = v;
          const ovf = sent.ovf.map((r) => r.slice());
          for (const [r, i, v] of byteHits) {
            const run = ovf[r % Math.max(1, ovf.length)];
            if (run !== undefined && run.length > 0) run[i % run.length] = v;
          }
          expect(() => deliver(b, { ...sent, words, ovf })).not.toThrow();
          expect(calls.length + errors.length).toBe(1);
          for (const e of errors)
            expect(isShoalError(e, "BAD_MESSAGE") && e.messageName === m.name).toBe(true);
          for (const c of calls) expect(c.name).toBe(m.name);
        }),
        { numRuns: 40 },
      );
    }
  }, 120_000);
});
