// The skb domain on a booted 4-core system, answering clients on every other core at once.
import { fileURLToPath } from "node:url";
import { Machine } from "@shoal/monitor";
import { afterEach, describe, expect, it } from "vitest";

const skbDomain = fileURLToPath(new URL("../domain/skb.mjs", import.meta.url));
const client = fileURLToPath(new URL("./domains/skb-client.mjs", import.meta.url));
const octopus = fileURLToPath(new URL("./domains/octopus-client.mjs", import.meta.url));
const lockHolder = fileURLToPath(new URL("./domains/lock-holder.mjs", import.meta.url));

let machine: Machine | undefined;
afterEach(async () => {
  await machine?.halt();
  machine = undefined;
});

describe("the skb service", () => {
  it("answers several domains at once over skb.if", async () => {
    const log: string[] = [];
    machine = await Machine.boot({ cores: 4, memoryBytes: 64 * 2 ** 20, console: (l) => log.push(l) });
    await machine.spawn(skbDomain, { core: 0 });
    const queries = ["cores(Cs)", "core(9, _)", "member(X, [a", "transport(1, 1, T, _)"];
    const clients = await Promise.all(
      [1, 2, 3].map((core) => machine?.spawn(client, { core, args: queries })),
    );
    const codes = await Promise.all(clients.map((c) => c?.exited));
    expect(codes).toEqual([0, 0, 0]);
    for (const core of [1, 2, 3]) {
      const mine = log
        .filter((l) => l.includes(`skb-client core ${core}:`))
        .map((l) => l.slice(l.indexOf("skb-client core")));
      expect(mine).toHaveLength(4);
      expect(mine[0]).toBe(`skb-client core ${core}: 0 Cs = [0,1,2,3]`);
      expect(mine[1]).toBe(`skb-client core ${core}: 1 false`);
      expect(mine[2]).toMatch(
        new RegExp(`^skb-client core ${core}: 2 SYNTAX: syntax error in query at column \\d+`),
      );
      expect(mine[3]).toBe(`skb-client core ${core}: 0 T = lrpc`);
    }
    expect(log.some((l) => /skb: serving 'skb' as iref/.test(l))).toBe(true);
  });

  it("gives the locks of a client that exits or dies without unlocking to the next client", async () => {
    const log: string[] = [];
    machine = await Machine.boot({ cores: 3, memoryBytes: 64 * 2 ** 20, console: (l) => log.push(l) });
    await machine.spawn(skbDomain, { core: 0 });
    // On the service's core (an lrpc binding), returning with the lock held.
    const exits = await machine.spawn(lockHolder, { core: 0, args: ["dev", "exit"] });
    expect(await exits.exited).toBe(0);
    const afterExit = await machine.spawn(lockHolder, { core: 2, args: ["dev", "take", "20000"] });
    expect(await afterExit.exited).toBe(0);
    // On another core (urpc, its monitor closes the channel), dying with the lock held.
    const dies = await machine.spawn(lockHolder, { core: 1, args: ["bus", "crash"] });
    expect(await dies.exited).toBe(1);
    const afterDeath = await machine.spawn(lockHolder, { core: 2, args: ["bus", "take", "20000"] });
    expect(await afterDeath.exited).toBe(0);
    const said = log.map((l) => /: (lock-(?:holder|taker): .*)$/.exec(l)?.[1]).filter((l) => l !== undefined);
    expect(said).toEqual([
      "lock-holder: holding dev, now exiting",
      "lock-taker: got dev",
      "lock-holder: holding bus, now crashing",
      "lock-taker: got bus",
    ]);
  });

  it("serves every call of skb.if to domains on several cores at once, with typed errvals", async () => {
    const log: string[] = [];
    machine = await Machine.boot({ cores: 4, memoryBytes: 64 * 2 ** 20, console: (l) => log.push(l) });
    await machine.spawn(skbDomain, { core: 0 });
    const rounds = 5;
    const clients = await Promise.all(
      [1, 2, 3].map((core) => machine?.spawn(octopus, { core, args: [String(rounds)] })),
    );
    expect(await Promise.all(clients.map((c) => c?.exited))).toEqual([0, 0, 0]);
    const said = (core: number, what: string) =>
      log
        .filter((l) => l.includes(`octopus core ${core}: ${what} = `))
        .map((l) => l.slice(l.indexOf(`${what} = `) + what.length + 3));
    const ids = new Set<string>();
    for (const core of [1, 2, 3]) {
      expect(said(core, "id")).toEqual(["positive"]);
      expect(said(core, "set")).toEqual(["0"]);
      expect(said(core, "subscribe")).toEqual(["0"]);
      expect(said(core, "lock")).toEqual([]);
      expect(said(core, "unlock")).toEqual([]);
      expect(said(core, "publish")).toEqual(["0"]);
      expect(said(core, "bad get")).toEqual(["2"]); // PARSER_FAIL
      expect(said(core, "unlock not held")).toEqual(["5"]); // NOT_LOCKED
      expect(said(core, "del missing")).toEqual(["1"]); // NO_RECORD
      expect(said(core, "run")).toEqual(["Cs = [0,1,2,3]"]);
      expect(said(core, "me")).toEqual([`cpu${core} { core: ${core}, type: cpu }`]);
      for (const id of said(core, "idnum")) ids.add(id);
    }
    expect(ids.size).toBe(3);
    // The lock kept the increments apart; every subscriber got the alarms published after it subscribed.
    const check = await machine.spawn(client, {
      core: 2,
      args: [
        "octopus_record(counter, A)",
        `aggregate_all(count, octopus_event(_, _, _), N), N >= 3`,
        "aggregate_all(count, (octopus_record(_, As), memberchk(type-cpu, As)), K)",
      ],
    });
    expect(await check.exited).toBe(0);
    const lines = log
      .filter((l) => l.includes("skb-client core 2:"))
      .map((l) => l.slice(l.indexOf("skb-client core")));
    expect(lines[0]).toBe(`skb-client core 2: 0 A = [-(n,${3 * rounds})]`);
    expect(lines[1]).toMatch(/^skb-client core 2: 0 N = [3-9]$/);
    expect(lines[2]).toMatch(/^skb-client core 2: 0 .*K = 3$/);
  });
});
