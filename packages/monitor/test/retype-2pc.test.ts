// End-to-end: retype of a cap with copies on other cores by two-phase commit between the monitors
// (capops/retype-2pc.ts). A Frame shared to every core, every core's domain retypes at once: of
// overlapping regions exactly one wins and the others are refused typed; disjoint regions all
// succeed; a core killed during the 2PC fails the retype typed and the next one runs without it.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Machine } from "../src/index.js";

const owner = fileURLToPath(new URL("./domains/retype-owner.mjs", import.meta.url));

let machines: Machine[] = [];
afterEach(async () => {
  await Promise.all(machines.map((m) => m.halt()));
  machines = [];
});

async function run(mode: string, cores: number, during?: (log: string[], m: Machine) => Promise<void>) {
  const log: string[] = [];
  const m = await Machine.boot({ cores, memoryBytes: 64 * 2 ** 20, console: (l) => log.push(l) });
  machines.push(m);
  const { exited } = await m.spawn(owner, { args: [mode, String(cores)] });
  await during?.(log, m);
  expect(await exited).toBe(0);
  const line = log.find((l) => l.includes(" result "));
  if (line === undefined) throw new Error(`no result in ${JSON.stringify(log)}`);
  return JSON.parse(line.slice(line.indexOf(" result ") + 8)) as Record<string, unknown>;
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("retype by two-phase commit between booted cores", () => {
  it("a cap no other core holds is retyped by the CPU driver, refused typed as the kernel refuses", async () => {
    const r = await run("local", 1);
    expect(r.relations).toBe(0);
    expect(r.made).toEqual([4096, 8192]);
    expect(r.covered).toBe("REVOKE_FIRST");
    expect(r.partly).toBe("RETYPE_OVERLAP");
    expect(r.wrongType).toBe("RETYPE_INVALID");
    expect(r.outside).toBe("OUT_OF_RANGE");
    expect(r.free).toBe("ok");
  }, 60_000);

  for (const cores of [2, 4]) {
    it(`${cores} cores retype the same page at once: exactly one wins, the others are refused typed`, async () => {
      const r = await run("overlap", cores);
      expect(r.relations).toBe(1);
      const codes = r.codes as string[];
      expect(codes).toHaveLength(cores);
      expect(codes.filter((c) => c === "ok")).toHaveLength(1);
      for (const c of codes) expect(["ok", "REVOKE_FIRST", "RETYPE_OVERLAP"]).toContain(c);
      // The winner's object stands in the way of every later retype of that page, from any core.
      expect(r.again).toBe("REVOKE_FIRST");
    }, 60_000);

    it(`${cores} cores retype partly overlapping regions at once, 5 rounds: the winners never overlap`, async () => {
      const r = await run("partial", cores);
      for (const codes of r.rounds as string[][]) {
        // Core k asked for pages [k, k + 2): a winner's neighbours lose, and a loser has a winning neighbour.
        const won = codes.map((c) => c === "ok");
        expect(won.some(Boolean)).toBe(true);
        for (const [k, c] of codes.entries()) {
          if (won[k]) expect(won[k + 1] ?? false).toBe(false);
          else {
            expect(["REVOKE_FIRST", "RETYPE_OVERLAP"]).toContain(c);
            expect(won[k - 1] === true || won[k + 1] === true).toBe(true);
          }
        }
      }
    }, 60_000);

    it(`${cores} cores retype disjoint pages at once: all succeed`, async () => {
      const r = await run("disjoint", cores);
      expect(r.codes).toEqual(Array.from({ length: cores }, () => "ok"));
      expect(r.again).toBe("REVOKE_FIRST");
    }, 60_000);
  }

  it("a core killed during the 2PC fails the retype PEER_DIED; the next one runs without it", async () => {
    const r = await run("die", 3, async (log, m) => {
      await until(() => log.some((l) => l.includes("retyping")));
      await m.killCore(1);
    });
    expect(r.warm).toBe("ok");
    expect(r.retype).toBe("PEER_DIED");
    expect(r.afterDeath).toBe("ok");
  }, 60_000);
});
