// The skb domain on a booted 4-core system, answering clients on every other core at once.
import { fileURLToPath } from "node:url";
import { Machine } from "@shoal/monitor";
import { afterEach, describe, expect, it } from "vitest";

const skbDomain = fileURLToPath(new URL("../domain/skb.mjs", import.meta.url));
const client = fileURLToPath(new URL("./domains/skb-client.mjs", import.meta.url));

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
});
