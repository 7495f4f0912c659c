// skb.if's calls over one engine, without a booted system (test/service.test.ts has the domain).
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { SkbEngine } from "../engine/engine.js";
import { isSkbError } from "../errors.js";
import { formatRecord, parseRecord, recordTerms } from "./records.js";
import { SKB_ERR, SkbService, skbErrName } from "./service.js";

let engine: SkbEngine;
beforeAll(async () => {
  engine = await SkbEngine.start();
}, 60_000);

describe("records", () => {
  it("read back as the same record", () => {
    const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);
    const value = fc.oneof(
      fc.integer(),
      ident,
      fc.string({ maxLength: 8 }).map((s) => `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`),
    );
    fc.assert(
      fc.property(
        ident,
        fc.uniqueArray(fc.tuple(ident, value), { selector: ([k]) => k, maxLength: 5 }),
        (name, kvs) => {
          const text =
            kvs.length === 0 ? name : `${name} { ${kvs.map(([k, v]) => `${k}: ${v}`).join(", ")} }`;
          const r = parseRecord(text, false);
          const t = recordTerms(r);
          expect(parseRecord(formatRecord(t.name, t.attributes), false)).toEqual(r);
        },
      ),
    );
  });

  it("refuse bad text with SYNTAX and the column", () => {
    for (const [text, column] of [
      ["cpu { core: }", 13],
      ["cpu { core 1 }", 12],
      ["cpu { a: 1, a: 2 }", 14],
      ["_ { a: 1 }", 1],
      ["cpu { a: 'x }", 14],
      ["Cpu", 1],
    ] as const) {
      let err: unknown;
      try {
        parseRecord(text, false);
      } catch (e) {
        err = e;
      }
      expect(
        isSkbError(err) && err.code === "SYNTAX" && err.column === column,
        `${text}: ${String(err)}`,
      ).toBe(true);
    }
  });
});

describe("the skb.if service", () => {
  it("sets, gets by template, replaces, deletes", () => {
    const s = new SkbService(engine);
    expect(s.set("cpu0 { type: cpu, core: 0, node: 0, name: 'AMD EPYC' }")).toEqual({
      error: "",
      error_code: 0,
    });
    expect(s.set("cpu1 { type: cpu, core: 1, node: 1 }").error_code).toBe(SKB_ERR.OK);
    expect(s.set("nic0 { type: nic, node: 1 }").error_code).toBe(SKB_ERR.OK);
    expect(s.get("_ { type: cpu, node: 1 }")).toEqual({
      output: "cpu1 { core: 1, node: 1, type: cpu }",
      error: "",
      error_code: 0,
    });
    expect(s.get("cpu0").output).toBe("cpu0 { core: 0, name: 'AMD EPYC', node: 0, type: cpu }");
    expect(s.get("_ { core: _, node: 1 }").output).toBe("cpu1 { core: 1, node: 1, type: cpu }");
    expect(s.set("cpu1 { type: cpu, core: 1, node: 0 }").error_code).toBe(SKB_ERR.OK);
    expect(s.get("_ { type: cpu, node: 1 }").error_code).toBe(SKB_ERR.NO_RECORD);
    // The records are facts of the SKB: run() sees them.
    expect(s.run("aggregate_all(count, octopus_record(_, _), N)").output).toBe("N = 3");
    expect(s.del("_ { type: cpu }")).toEqual({ error_code: SKB_ERR.OK });
    expect(s.del("_ { type: cpu }")).toEqual({ error_code: SKB_ERR.NO_RECORD });
    expect(s.get("nic0").output).toBe("nic0 { node: 1, type: nic }");
    const bad = s.get("_ { type: }");
    expect(bad.error_code).toBe(SKB_ERR.PARSER_FAIL);
    expect(bad.error).toMatch(/^SYNTAX: record: expected a value .* at column 11$/);
    expect(s.set("_ { a: 1 }").error_code).toBe(SKB_ERR.PARSER_FAIL);
    expect(skbErrName(SKB_ERR.NO_RECORD)).toBe("NO_RECORD");
    s.del("_");
  });

  it("runs queries, with their errors as str_error", () => {
    const s = new SkbService(engine);
    expect(s.run("X = 1 ; X = 2")).toEqual({ output: "X = 1\nX = 2", str_error: "", int_error: 0 });
    expect(s.run("fail.")).toEqual({ output: "false", str_error: "", int_error: 1 });
    expect(s.run("true")).toEqual({ output: "true", str_error: "", int_error: 0 });
    const e = s.run("member(X, [a");
    expect(e.int_error).toBe(2);
    expect(e.str_error).toMatch(/^SYNTAX: /);
    expect(s.run("no_such(1)").str_error).toMatch(/^EXISTENCE: /);
  });

  it("gives identifiers, and publishes to the subscriptions a record matches", () => {
    const s = new SkbService(engine);
    const a = s.getIdentifier().id;
    const b = s.getIdentifier().id;
    expect(b).toBe(a + 1n);
    const client = {};
    s.identify(client, b);
    expect(s.identityOf(client)).toBe(b);
    expect(s.subscribe("_ { type: cpu }", a)).toEqual({ err: 0 });
    expect(s.subscribe("link { up: _ }", b)).toEqual({ err: 0 });
    expect(s.subscribe("x", 999n)).toEqual({ err: SKB_ERR.BAD_IDENTIFIER });
    expect(s.subscribe("x {", a)).toEqual({ err: SKB_ERR.PARSER_FAIL });
    expect(s.publish("cpu7 { type: cpu, core: 7 }")).toEqual({ err: 0 });
    expect(s.publish("link { up: true, peer: 3 }")).toEqual({ err: 0 });
    expect(s.publish("nic0 { type: nic }")).toEqual({ err: 0 });
    expect(s.publish("{")).toEqual({ err: SKB_ERR.PARSER_FAIL });
    expect(s.run(`octopus_event(${a}, _, R)`).output).toBe('R = "cpu7 { core: 7, type: cpu }"');
    expect(s.run(`octopus_event(${b}, _, R)`).output).toBe('R = "link { peer: 3, up: true }"');
    expect(s.unsubscribe(a)).toEqual({ err: 0 });
    expect(s.unsubscribe(a)).toEqual({ err: SKB_ERR.NO_SUBSCRIPTION });
    s.publish("cpu8 { type: cpu }");
    expect(s.run(`aggregate_all(count, octopus_event(${a}, _, _), N)`).output).toBe("N = 1");
  });

  it("hands a lock to its waiters in order, and only its holder unlocks it", async () => {
    const s = new SkbService(engine);
    const [x, y, z] = [{}, {}, {}];
    expect(s.lock(x, "dev")).toEqual({ err: 0 });
    const order: string[] = [];
    const py = Promise.resolve(s.lock(y, "dev")).then(() => order.push("y"));
    const pz = Promise.resolve(s.lock(z, "dev")).then(() => order.push("z"));
    expect(s.unlock(y, "dev")).toEqual({ err: SKB_ERR.NOT_LOCKED });
    expect(s.unlock(x, "dev")).toEqual({ err: 0 });
    await py;
    expect(order).toEqual(["y"]);
    expect(s.unlock(y, "dev")).toEqual({ err: 0 });
    await pz;
    expect(order).toEqual(["y", "z"]);
    expect(s.unlock(z, "dev")).toEqual({ err: 0 });
    expect(s.unlock(z, "dev")).toEqual({ err: SKB_ERR.NOT_LOCKED });
    expect(s.lock(x, " ")).toEqual({ err: SKB_ERR.PARSER_FAIL });
  });

  it("gives a closed client's locks to their next waiters and forgets its waits and identity", async () => {
    const s = new SkbService(engine);
    const [gone, waiter, late] = [{}, {}, {}];
    const { id } = s.getIdentifier();
    s.identify(gone, id);
    expect(s.lock(waiter, "bus")).toEqual({ err: 0 });
    expect(s.lock(gone, "dev")).toEqual({ err: 0 });
    let granted = false;
    const pw = Promise.resolve(s.lock(waiter, "dev")).then((r) => {
      granted = true;
      return r;
    });
    // `gone` also waits for "bus", held by `waiter`: that wait must not outlive it.
    void s.lock(gone, "bus");
    await Promise.resolve();
    expect(granted).toBe(false);
    s.clientClosed(gone);
    await expect(pw).resolves.toEqual({ err: 0 });
    expect(s.identityOf(gone)).toBeUndefined();
    expect(s.unlock(gone, "dev")).toEqual({ err: SKB_ERR.NOT_LOCKED });
    // "bus" goes from `waiter` to `late`, not to the closed client that queued for it first.
    const pl = Promise.resolve(s.lock(late, "bus"));
    expect(s.unlock(waiter, "bus")).toEqual({ err: 0 });
    await expect(pl).resolves.toEqual({ err: 0 });
    expect(s.unlock(late, "bus")).toEqual({ err: 0 });
    expect(s.unlock(waiter, "dev")).toEqual({ err: 0 });
    // With nobody waiting, a closed holder's lock is simply free again.
    expect(s.lock(gone, "solo")).toEqual({ err: 0 });
    s.clientClosed(gone);
    expect(s.lock(late, "solo")).toEqual({ err: 0 });
  });
});
