// End-to-end: domains spanning cores (real workers): one address space, every core's MMU and TLB
// walking the home dispatcher's page tables. Every test halts what it boots.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Machine } from "../src/index.js";

const domain = fileURLToPath(new URL("./domains/span-home.mjs", import.meta.url));

let machines: Machine[] = [];
afterEach(async () => {
  await Promise.all(machines.map((m) => m.halt()));
  machines = [];
});

async function boot(cores: number, log: string[]): Promise<Machine> {
  const m = await Machine.boot({ cores, memoryBytes: 64 * 2 ** 20, console: (l) => log.push(l) });
  machines.push(m);
  return m;
}

async function run(cores: number, args: string[]): Promise<Record<string, unknown>> {
  const log: string[] = [];
  const m = await boot(cores, log);
  const { id, exited } = await m.spawn(domain, { core: 0, args });
  const code = await exited;
  if (code !== 0) throw new Error(`the home exited ${code}: ${log.join("\n")}`);
  const line = log.find((l) => l.includes(" result "));
  if (line === undefined) throw new Error(`no result in ${JSON.stringify(log)}`);
  const r = JSON.parse(line.slice(line.indexOf(" result ") + 8)) as Record<string, unknown>;
  expect(r.id).toBe(id);
  return r;
}

describe("spanning domains", () => {
  for (const cores of [2, 4]) {
    it(`a frame mapped on the home is seen and written through every core's MMU (${cores} cores)`, async () => {
      const r = await run(cores, ["share", String(cores)]);
      const others = Array.from({ length: cores - 1 }, (_, i) => i + 1);
      expect(r.codes).toEqual(others.map((c) => 10 + c));
      expect(r.written).toEqual(others.map((c) => 1000 + c));
      expect(r.viewOnHome).toBe(0x5ca1ab1e);
      const ds = r.dispatchers as { core: number; dispatcher: number }[];
      expect(ds.map((d) => d.core)).toEqual(others);
      // Each spanned dispatcher is its own core's dispatcher (ids name the core).
      for (const d of ds) expect(Math.floor(d.dispatcher / 2 ** 20)).toBe(d.core);
    });
  }

  it("a map asked by a spanned dispatcher is made in the home's tree, and the home sees it", async () => {
    const r = await run(2, ["remote-map"]);
    expect(r.code).toBe(3);
    expect(r.seen).toBe(0xfeed);
    expect(r.seenLast).toBe(0xbeef);
    expect(r.homeWrites).toBe("no error");
    expect(r.afterUnmap).toBe("PAGE_FAULT");
  });

  it("protect downgrades the mapping on every core before it returns", async () => {
    const r = await run(2, ["protect"]);
    expect(r.first).toBe(true);
    expect(r.homeWrite).toBe("PAGE_FAULT");
    expect(r.code).toBe(0);
    expect(r.guestWrite).toBe("PAGE_FAULT");
    expect(r.guestRead).toBe(42);
    expect(r.rewritable).toBe(6);
  });

  it("a spanned entry's return is its exit code, a throw is 1; bad spans fail typed", async () => {
    const r = await run(2, ["codes", "2"]);
    expect(r.codes).toEqual([7, 1, 7]);
    expect(r.sameCore).toBe(0);
    expect(r.missing).toBe("SPAWN_FAILED");
    expect(r.noCore).toBe("NO_SUCH_CORE");
  });

  it("a spanned dispatcher shows in ps and is stopped when its home exits", async () => {
    const log: string[] = [];
    const m = await boot(2, log);
    const { id } = await m.spawn(domain, { core: 0, args: ["hold"] });
    let line: string | undefined;
    for (let i = 0; i < 1000 && line === undefined; i++) {
      await new Promise((r) => setTimeout(r, 10));
      line = log.find((l) => l.includes(" spanned "));
    }
    expect(line).toBeDefined();
    const guest = Number(line?.slice(line.indexOf(" spanned ") + 9));
    const row = (await m.ps()).find((p) => p.id === guest);
    expect(row).toMatchObject({ core: 1, name: "span-home:holder", exitCode: null });
    expect(await m.kill(id)).toBe(true);
    let after = row;
    for (let i = 0; i < 500 && after?.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 10));
      after = (await m.ps()).find((p) => p.id === guest);
    }
    expect(after).toMatchObject({ state: "exited", exitCode: 137 });
  });

  it("a spanned dispatcher whose core dies exits -1 for its home, which goes on", async () => {
    const log: string[] = [];
    const m = await boot(2, log);
    const { exited } = await m.spawn(domain, { core: 0, args: ["hold"] });
    for (let i = 0; i < 1000 && !log.some((l) => l.includes(" spanned ")); i++)
      await new Promise((r) => setTimeout(r, 10));
    await m.killCore(1);
    expect(await exited).toBe(0);
    expect(log.some((l) => l.endsWith(" held -1"))).toBe(true);
  });
});
